package interp

import "fmt"

// <elf.h>, <link.h> and <asm/processor-flags.h>: glibc 2.36's ELF types
// (anonymous structs behind their typedefs, as glibc writes them), laid
// out as on x86-64, and their constants. Their macros are defined only for
// a program that includes one of these headers: names such as PT_LOAD and
// ET_EXEC are common enough that a program may use them for its own.

// elfWidths are an ELF class's address and offset type, and its Xword.
type elfWidths struct {
	bits                  int
	addr, off, xword, sxw *ctype
}

var elfClasses = []elfWidths{
	{32, tUInt, tUInt, tULong, tLong},
	{64, tULong, tULong, tULong, tLong},
}

func init() {
	for _, c := range elfClasses {
		pre := fmt.Sprintf("Elf%d_", c.bits)
		td := func(name string, t *ctype) *ctype {
			builtinTypedefs[pre+name] = named(t, pre+name)
			return builtinTypedefs[pre+name]
		}
		half, word, sword := td("Half", tUShort), td("Word", tUInt), td("Sword", tInt)
		xword, sxword := td("Xword", c.xword), td("Sxword", c.sxw)
		addr, off := td("Addr", c.addr), td("Off", c.off)
		section, versym := td("Section", tUShort), td("Versym", tUShort)
		_ = versym
		f := func(name string, t *ctype) field { return field{name: name, t: t} }
		td("Ehdr", mkStruct("", []field{f("e_ident", arrayOf(tUChar, 16)), f("e_type", half), f("e_machine", half),
			f("e_version", word), f("e_entry", addr), f("e_phoff", off), f("e_shoff", off), f("e_flags", word),
			f("e_ehsize", half), f("e_phentsize", half), f("e_phnum", half), f("e_shentsize", half), f("e_shnum", half),
			f("e_shstrndx", half)}))
		// The 32-bit and 64-bit program headers and symbols order their
		// fields differently (the 64-bit ones keep each 8-aligned).
		if c.bits == 64 {
			td("Phdr", mkStruct("", []field{f("p_type", word), f("p_flags", word), f("p_offset", off), f("p_vaddr", addr),
				f("p_paddr", addr), f("p_filesz", xword), f("p_memsz", xword), f("p_align", xword)}))
			td("Sym", mkStruct("", []field{f("st_name", word), f("st_info", tUChar), f("st_other", tUChar),
				f("st_shndx", section), f("st_value", addr), f("st_size", xword)}))
			td("Shdr", mkStruct("", []field{f("sh_name", word), f("sh_type", word), f("sh_flags", xword), f("sh_addr", addr),
				f("sh_offset", off), f("sh_size", xword), f("sh_link", word), f("sh_info", word), f("sh_addralign", xword),
				f("sh_entsize", xword)}))
			td("Dyn", mkStruct("", []field{f("d_tag", sxword), f("d_un", mkUnion([]field{f("d_val", xword), f("d_ptr", addr)}))}))
			td("Rel", mkStruct("", []field{f("r_offset", addr), f("r_info", xword)}))
			td("Rela", mkStruct("", []field{f("r_offset", addr), f("r_info", xword), f("r_addend", sxword)}))
			td("auxv_t", mkStruct("", []field{f("a_type", tULong), f("a_un", mkUnion([]field{f("a_val", tULong)}))}))
		} else {
			td("Phdr", mkStruct("", []field{f("p_type", word), f("p_offset", off), f("p_vaddr", addr), f("p_paddr", addr),
				f("p_filesz", word), f("p_memsz", word), f("p_flags", word), f("p_align", word)}))
			td("Sym", mkStruct("", []field{f("st_name", word), f("st_value", addr), f("st_size", word), f("st_info", tUChar),
				f("st_other", tUChar), f("st_shndx", section)}))
			td("Shdr", mkStruct("", []field{f("sh_name", word), f("sh_type", word), f("sh_flags", word), f("sh_addr", addr),
				f("sh_offset", off), f("sh_size", word), f("sh_link", word), f("sh_info", word), f("sh_addralign", word),
				f("sh_entsize", word)}))
			td("Dyn", mkStruct("", []field{f("d_tag", sword), f("d_un", mkUnion([]field{f("d_val", word), f("d_ptr", addr)}))}))
			td("Rel", mkStruct("", []field{f("r_offset", addr), f("r_info", word)}))
			td("Rela", mkStruct("", []field{f("r_offset", addr), f("r_info", word), f("r_addend", sword)}))
			td("auxv_t", mkStruct("", []field{f("a_type", tUInt), f("a_un", mkUnion([]field{f("a_val", tUInt)}))}))
		}
		td("Verdef", mkStruct("", []field{f("vd_version", half), f("vd_flags", half), f("vd_ndx", half), f("vd_cnt", half),
			f("vd_hash", word), f("vd_aux", word), f("vd_next", word)}))
		td("Verdaux", mkStruct("", []field{f("vda_name", word), f("vda_next", word)}))
		td("Verneed", mkStruct("", []field{f("vn_version", half), f("vn_cnt", half), f("vn_file", word), f("vn_aux", word),
			f("vn_next", word)}))
		td("Vernaux", mkStruct("", []field{f("vna_hash", word), f("vna_flags", half), f("vna_other", half),
			f("vna_name", word), f("vna_next", word)}))
		td("Nhdr", mkStruct("", []field{f("n_namesz", word), f("n_descsz", word), f("n_type", word)}))
	}
	// <link.h>: struct dl_phdr_info (dl_iterate_phdr's) and struct link_map.
	libTags["dl_phdr_info"] = mkStruct("dl_phdr_info", []field{{name: "dlpi_addr", t: builtinTypedefs["Elf64_Addr"]},
		{name: "dlpi_name", t: ptrTo(tChar)}, {name: "dlpi_phdr", t: ptrTo(builtinTypedefs["Elf64_Phdr"])},
		{name: "dlpi_phnum", t: builtinTypedefs["Elf64_Half"]}, {name: "dlpi_adds", t: tULLong}, {name: "dlpi_subs", t: tULLong},
		{name: "dlpi_tls_modid", t: tULong}, {name: "dlpi_tls_data", t: tVoidP}})
	linkMap := &ctype{k: kStruct, st: &structInfo{tag: "link_map"}}
	linkMap.st.fields = []field{{name: "l_addr", t: builtinTypedefs["Elf64_Addr"]}, {name: "l_name", t: ptrTo(tChar)},
		{name: "l_ld", t: ptrTo(builtinTypedefs["Elf64_Dyn"])}, {name: "l_next", t: ptrTo(linkMap)}, {name: "l_prev", t: ptrTo(linkMap)}}
	layout(linkMap)
	libTags["link_map"] = linkMap
	for _, h := range []string{"elf.h", "link.h", "asm/processor-flags.h"} {
		knownHeaders[h] = true
	}
	headerMacros["elf.h"] = elfMacros
	headerMacros["link.h"] = append(append([]string(nil), elfMacros...), "ElfW(type) _ElfW (Elf, __ELF_NATIVE_CLASS, type)",
		"_ElfW(e,w,t) _ElfW_1 (e, w, _##t)", "_ElfW_1(e,w,t) e##w##t", "__ELF_NATIVE_CLASS 64")
	headerMacros["asm/processor-flags.h"] = processorFlagsMacros()
}

// processorFlagsMacros are <asm/processor-flags.h>'s EFLAGS bits.
func processorFlagsMacros() []string {
	var ms []string
	for _, b := range []struct {
		name string
		bit  int
	}{{"CF", 0}, {"FIXED", 1}, {"PF", 2}, {"AF", 4}, {"ZF", 6}, {"SF", 7}, {"TF", 8}, {"IF", 9}, {"DF", 10}, {"OF", 11},
		{"NT", 14}, {"RF", 16}, {"VM", 17}, {"AC", 18}, {"VIF", 19}, {"VIP", 20}, {"ID", 21}} {
		ms = append(ms, fmt.Sprintf("X86_EFLAGS_%s_BIT %d", b.name, b.bit), fmt.Sprintf("X86_EFLAGS_%s (1UL << %d)", b.name, b.bit))
	}
	return append(ms, "X86_EFLAGS_IOPL_BIT 12", "X86_EFLAGS_IOPL (3UL << 12)")
}

// elfMacros are <elf.h>'s constants (glibc 2.36's values) and macros.
var elfMacros = []string{
	"EI_NIDENT 16", "EI_MAG0 0", "ELFMAG0 0x7f", "EI_MAG1 1", "ELFMAG1 'E'", "EI_MAG2 2", "ELFMAG2 'L'", "EI_MAG3 3",
	"ELFMAG3 'F'", "ELFMAG \"\\177ELF\"", "SELFMAG 4", "EI_CLASS 4", "ELFCLASSNONE 0", "ELFCLASS32 1", "ELFCLASS64 2",
	"ELFCLASSNUM 3", "EI_DATA 5", "ELFDATANONE 0", "ELFDATA2LSB 1", "ELFDATA2MSB 2", "ELFDATANUM 3", "EI_VERSION 6",
	"EI_OSABI 7", "ELFOSABI_NONE 0", "ELFOSABI_SYSV 0", "ELFOSABI_GNU 3", "ELFOSABI_LINUX ELFOSABI_GNU",
	"EI_ABIVERSION 8", "EI_PAD 9", "EV_NONE 0", "EV_CURRENT 1", "EV_NUM 2",
	"ET_NONE 0", "ET_REL 1", "ET_EXEC 2", "ET_DYN 3", "ET_CORE 4", "ET_NUM 5",
	"EM_NONE 0", "EM_386 3", "EM_ARM 40", "EM_X86_64 62", "EM_AARCH64 183", "EM_RISCV 243",
	"PT_NULL 0", "PT_LOAD 1", "PT_DYNAMIC 2", "PT_INTERP 3", "PT_NOTE 4", "PT_SHLIB 5", "PT_PHDR 6", "PT_TLS 7",
	"PT_NUM 8", "PT_LOOS 0x60000000", "PT_GNU_EH_FRAME 0x6474e550", "PT_GNU_STACK 0x6474e551",
	"PT_GNU_RELRO 0x6474e552", "PT_GNU_PROPERTY 0x6474e553", "PT_HIOS 0x6fffffff", "PT_LOPROC 0x70000000",
	"PT_HIPROC 0x7fffffff", "PF_X (1 << 0)", "PF_W (1 << 1)", "PF_R (1 << 2)",
	"SHT_NULL 0", "SHT_PROGBITS 1", "SHT_SYMTAB 2", "SHT_STRTAB 3", "SHT_RELA 4", "SHT_HASH 5", "SHT_DYNAMIC 6",
	"SHT_NOTE 7", "SHT_NOBITS 8", "SHT_REL 9", "SHT_SHLIB 10", "SHT_DYNSYM 11", "SHT_INIT_ARRAY 14",
	"SHT_FINI_ARRAY 15", "SHT_GNU_HASH 0x6ffffff6", "SHT_GNU_verdef 0x6ffffffd", "SHT_GNU_verneed 0x6ffffffe",
	"SHT_GNU_versym 0x6fffffff", "SHF_WRITE (1 << 0)", "SHF_ALLOC (1 << 1)", "SHF_EXECINSTR (1 << 2)",
	"SHN_UNDEF 0", "SHN_LORESERVE 0xff00", "SHN_ABS 0xfff1", "SHN_COMMON 0xfff2", "SHN_XINDEX 0xffff",
	"STB_LOCAL 0", "STB_GLOBAL 1", "STB_WEAK 2", "STB_GNU_UNIQUE 10", "STT_NOTYPE 0", "STT_OBJECT 1", "STT_FUNC 2",
	"STT_SECTION 3", "STT_FILE 4", "STT_COMMON 5", "STT_TLS 6", "STT_GNU_IFUNC 10",
	"STV_DEFAULT 0", "STV_INTERNAL 1", "STV_HIDDEN 2", "STV_PROTECTED 3", "STN_UNDEF 0",
	"ELF32_ST_BIND(val) (((unsigned char) (val)) >> 4)", "ELF32_ST_TYPE(val) ((val) & 0xf)",
	"ELF32_ST_INFO(bind, type) (((bind) << 4) + ((type) & 0xf))", "ELF64_ST_BIND(val) ELF32_ST_BIND (val)",
	"ELF64_ST_TYPE(val) ELF32_ST_TYPE (val)", "ELF64_ST_INFO(bind, type) ELF32_ST_INFO ((bind), (type))",
	"ELF32_ST_VISIBILITY(o) ((o) & 0x03)", "ELF64_ST_VISIBILITY(o) ELF32_ST_VISIBILITY (o)",
	"ELF32_R_SYM(val) ((val) >> 8)", "ELF32_R_TYPE(val) ((val) & 0xff)",
	"ELF32_R_INFO(sym, type) (((sym) << 8) + ((type) & 0xff))", "ELF64_R_SYM(i) ((i) >> 32)",
	"ELF64_R_TYPE(i) ((i) & 0xffffffff)", "ELF64_R_INFO(sym,type) ((((Elf64_Xword) (sym)) << 32) + (type))",
	"DT_NULL 0", "DT_NEEDED 1", "DT_PLTRELSZ 2", "DT_PLTGOT 3", "DT_HASH 4", "DT_STRTAB 5", "DT_SYMTAB 6", "DT_RELA 7",
	"DT_RELASZ 8", "DT_RELAENT 9", "DT_STRSZ 10", "DT_SYMENT 11", "DT_INIT 12", "DT_FINI 13", "DT_SONAME 14",
	"DT_RPATH 15", "DT_SYMBOLIC 16", "DT_REL 17", "DT_RELSZ 18", "DT_RELENT 19", "DT_PLTREL 20", "DT_DEBUG 21",
	"DT_TEXTREL 22", "DT_JMPREL 23", "DT_BIND_NOW 24", "DT_INIT_ARRAY 25", "DT_FINI_ARRAY 26", "DT_INIT_ARRAYSZ 27",
	"DT_FINI_ARRAYSZ 28", "DT_RUNPATH 29", "DT_FLAGS 30", "DT_GNU_HASH 0x6ffffef5", "DT_VERSYM 0x6ffffff0",
	"DT_RELACOUNT 0x6ffffff9", "DT_RELCOUNT 0x6ffffffa", "DT_FLAGS_1 0x6ffffffb", "DT_VERDEF 0x6ffffffc",
	"DT_VERDEFNUM 0x6ffffffd", "DT_VERNEED 0x6ffffffe", "DT_VERNEEDNUM 0x6fffffff",
	"VER_DEF_NONE 0", "VER_DEF_CURRENT 1", "VER_DEF_NUM 2", "VER_FLG_BASE 0x1", "VER_FLG_WEAK 0x2",
	"VER_NDX_LOCAL 0", "VER_NDX_GLOBAL 1", "VER_NDX_LORESERVE 0xff00", "VER_NDX_ELIMINATE 0xff01",
	"VER_NEED_NONE 0", "VER_NEED_CURRENT 1", "VER_NEED_NUM 2",
	"NT_PRSTATUS 1", "NT_PRFPREG 2", "NT_PRPSINFO 3", "NT_AUXV 6", "NT_GNU_ABI_TAG 1", "NT_GNU_BUILD_ID 3",
	"NT_GNU_PROPERTY_TYPE_0 5", "R_X86_64_NONE 0", "R_X86_64_64 1", "R_X86_64_GLOB_DAT 6", "R_X86_64_JUMP_SLOT 7",
	"R_X86_64_RELATIVE 8",
}
