// i18n: the page's words in Chinese and English. The language is chosen by
// ?lang=, then localStorage, then the browser's language; the choice is
// remembered in localStorage.

const STRINGS = {
  en: {
    "title": "mmap playground",
    "lessons": "Lessons",
    "choose-lesson": "Choose a lesson…",
    "examples": "Examples",
    "choose-example": "Choose an example…",
    "share": "Share",
    "close": "Close",
    "prev": "Previous",
    "next": "Next",
    "notice": "What to notice",
    "program": "Program",
    "run": "Run",
    "step-syscall": "Next syscall",
    "step-fault": "Next fault",
    "pause": "Pause",
    "continue": "Continue",
    "back": "Step back",
    "reset": "Reset",
    "engine": "Engine",
    "engine-sim": "simulated",
    "engine-real": "real kernel",
    "engine-both": "both, compared",
    "ram": "RAM",
    "fault-around": "Fault-around",
    "off": "off",
    "output": "Output",
    "counters": "Counters",
    "address-space": "Address space",
    "page-map": "Page map",
    "walk": "Page-table walk",
    "walk-go": "Walk",
    "frames": "Frames and page cache",
    "events": "Events",
    "open-full": "Open in the playground",
    "lesson": "Lesson",
    // states
    "st-none": "not present",
    "st-zero": "zero page",
    "st-clean": "present, clean",
    "st-dirty": "dirty",
    "st-cow": "copy-on-write",
    "st-swapped": "swapped",
    "st-locked": "locked",
    "st-device": "device",
    // counters
    "c-syscalls": "system calls",
    "c-minor_faults": "minor faults",
    "c-major_faults": "major faults",
    "c-cow_faults": "COW faults",
    "c-zero_page_maps": "zero-page maps",
    "c-copies": "kernel copies",
    "c-copy_to_user_bytes": "copy_to_user bytes",
    "c-copy_from_user_bytes": "copy_from_user bytes",
    "c-disk_reads": "disk reads",
    "c-disk_writes": "disk writes",
    "c-swap_outs": "swap-outs",
    "c-ptes_set": "PTEs set",
    // status
    "ready": "Ready. Press Run (Ctrl+Enter), or step to the first system call.",
    "connecting": "Starting a session…",
    "running": "Running…",
    "paused": "Paused at event {seq}.",
    "exited": "Finished: {n} events.",
    "exit-status": "exit {status}",
    "killed": "killed by {sig}",
    "compile-errors": "The program has errors; see the marked lines.",
    "no-server": "The server did not answer: {msg}",
    "state-at": "State at event {seq}",
    "state-now": "Showing the latest state.",
    "back-live": "Back to the latest",
    "no-vmas": "No areas yet. Run a program to see its address space.",
    "no-area": "Choose an area to see its pages.",
    "pages": "pages",
    "page": "page",
    "of": "of",
    "area-pages": "{n} pages, {p} present",
    "area-page": "1 page, {p} present",
    "walk-hint": "Click a page in the page map, or type an address.",
    "walk-none": "No page table reaches this address yet.",
    "level": "Level",
    "index": "Index",
    "entry": "Entry",
    "next-table": "Points to",
    "memory": "Physical memory",
    "mem-anon": "anonymous",
    "mem-file": "page cache",
    "mem-pt": "page tables",
    "mem-dev": "device",
    "mem-free": "free",
    "mem-used": "in use",
    "frames-n": "frames",
    "shared-frames": "Frames mapped more than once",
    "page-cache": "Page cache",
    "no-files": "No file pages cached.",
    "no-shared": "No frame is mapped more than once.",
    "frame": "frame",
    "mappers": "mapped by",
    "use": "use",
    "maps": "maps",
    "pid": "pid",
    "addr": "address",
    "state": "state",
    "bits": "PTE bits",
    "kernel-path": "Kernel path",
    "filter-all": "all",
    "share-copied": "Link copied. Anyone who opens it sees this program.",
    "lesson-of": "{i} of {n}",
    "run-lesson": "Run this lesson's program",
    "real-unavailable": "The real engine is not available on this server.",
    "differences": "Differences between the engines",
    "f-syscall": "syscalls", "f-vma": "areas", "f-fault": "faults", "f-pte": "PTEs", "f-cache": "cache & disk", "f-signal": "signals & exit", "f-output": "output",
    "missed": "{n} events were missed",
    "child": "child", "proc-exited": "this process has exited",
    "differs": "the other engine has no such area", "notes": "Notes from the engine", "engine-name-sim": "Simulated kernel", "engine-name-real": "Real kernel (this host)",
  },
  zh: {
    "title": "mmap 演练场",
    "lessons": "课程",
    "choose-lesson": "选择一课…",
    "examples": "示例",
    "choose-example": "选择示例…",
    "share": "分享",
    "close": "关闭",
    "prev": "上一课",
    "next": "下一课",
    "notice": "请注意",
    "program": "程序",
    "run": "运行",
    "step-syscall": "下一个系统调用",
    "step-fault": "下一次缺页",
    "pause": "暂停",
    "continue": "继续",
    "back": "后退一步",
    "reset": "重置",
    "engine": "引擎",
    "engine-sim": "模拟内核",
    "engine-real": "真实内核",
    "engine-both": "两者对比",
    "ram": "内存",
    "fault-around": "预读映射",
    "off": "关闭",
    "output": "输出",
    "counters": "计数",
    "address-space": "地址空间",
    "page-map": "页面图",
    "walk": "页表遍历",
    "walk-go": "遍历",
    "frames": "物理页框与页缓存",
    "events": "事件",
    "open-full": "在演练场中打开",
    "lesson": "第",
    "st-none": "未映射",
    "st-zero": "零页",
    "st-clean": "已映射（干净）",
    "st-dirty": "脏页",
    "st-cow": "写时复制",
    "st-swapped": "已换出",
    "st-locked": "已锁定",
    "st-device": "设备内存",
    "c-syscalls": "系统调用",
    "c-minor_faults": "次缺页",
    "c-major_faults": "主缺页",
    "c-cow_faults": "写时复制缺页",
    "c-zero_page_maps": "零页映射",
    "c-copies": "内核拷贝次数",
    "c-copy_to_user_bytes": "copy_to_user 字节",
    "c-copy_from_user_bytes": "copy_from_user 字节",
    "c-disk_reads": "磁盘读",
    "c-disk_writes": "磁盘写",
    "c-swap_outs": "换出",
    "c-ptes_set": "设置的页表项",
    "ready": "就绪。按“运行”（Ctrl+Enter），或单步到第一个系统调用。",
    "connecting": "正在建立会话…",
    "running": "运行中…",
    "paused": "已暂停在第 {seq} 个事件。",
    "exited": "运行结束：共 {n} 个事件。",
    "exit-status": "退出码 {status}",
    "killed": "被 {sig} 终止",
    "compile-errors": "程序有错误，请看标出的行。",
    "no-server": "服务器没有响应：{msg}",
    "state-at": "第 {seq} 个事件时的状态",
    "state-now": "显示最新状态。",
    "back-live": "回到最新",
    "no-vmas": "还没有内存区域。运行程序后这里显示它的地址空间。",
    "no-area": "选择一个区域查看它的页面。",
    "pages": "页",
    "page": "页",
    "of": "/",
    "area-pages": "共 {n} 页，已映射 {p} 页",
    "area-page": "共 1 页，已映射 {p} 页",
    "walk-hint": "点击页面图中的一页，或输入一个地址。",
    "walk-none": "还没有页表覆盖这个地址。",
    "level": "级别",
    "index": "索引",
    "entry": "表项",
    "next-table": "指向",
    "memory": "物理内存",
    "mem-anon": "匿名页",
    "mem-file": "页缓存",
    "mem-pt": "页表",
    "mem-dev": "设备",
    "mem-free": "空闲",
    "mem-used": "已用",
    "frames-n": "个页框",
    "shared-frames": "被多次映射的页框",
    "page-cache": "页缓存",
    "no-files": "没有缓存的文件页。",
    "no-shared": "没有被多次映射的页框。",
    "frame": "页框",
    "mappers": "映射它的进程",
    "use": "用途",
    "maps": "映射数",
    "pid": "进程",
    "addr": "地址",
    "state": "状态",
    "bits": "页表项标志位",
    "kernel-path": "内核路径",
    "filter-all": "全部",
    "share-copied": "链接已复制。打开它的人会看到这个程序。",
    "lesson-of": "第 {i} 课，共 {n} 课",
    "run-lesson": "运行本课的程序",
    "real-unavailable": "此服务器不提供真实内核引擎。",
    "differences": "两个引擎的差异",
    "f-syscall": "系统调用", "f-vma": "区域", "f-fault": "缺页", "f-pte": "页表项", "f-cache": "缓存与磁盘", "f-signal": "信号与退出", "f-output": "输出",
    "missed": "漏掉了 {n} 个事件",
    "child": "子进程", "proc-exited": "该进程已退出",
    "differs": "另一个引擎中没有这个区域", "notes": "引擎的说明", "engine-name-sim": "模拟内核", "engine-name-real": "真实内核（本机）",
  },
};

const KEY = "mmap-playground.lang";
let lang = pick();
const listeners = [];

function pick() {
  const q = new URLSearchParams(location.search).get("lang");
  if (q === "zh" || q === "en") return q;
  try {
    const s = localStorage.getItem(KEY);
    if (s === "zh" || s === "en") return s;
  } catch (e) { /* storage may be off in an iframe */ }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The current language, "zh" or "en". */
export function getLang() { return lang; }

/** t looks up a word, filling {name} placeholders from vars. */
export function t(key, vars) {
  let s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

/** setLang switches the language, remembers it, and redraws. */
export function setLang(l) {
  if (l !== "zh" && l !== "en") return;
  lang = l;
  try { localStorage.setItem(KEY, l); } catch (e) { /* ignore */ }
  apply(document);
  for (const f of listeners) f(l);
}

/** onLang calls f whenever the language changes. */
export function onLang(f) { listeners.push(f); }

/** apply translates every element with data-i18n under root. */
export function apply(root) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const b of root.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  document.title = t("title");
}
