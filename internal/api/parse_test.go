package api

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"500", 500, true},
		{"64K", 64 << 10, true},
		{"16M", 16 << 20, true},
		{"16MiB", 16 << 20, true},
		{"2g", 2 << 30, true},
		{"500_000_000", 500_000_000, true},
		{"-1", -1, true},
		{"", 0, false},
		{"lots", 0, false},
		{"1.5G", 0, false},
		{"9999999999999G", 0, false},
	}
	for _, tt := range tests {
		got, err := parseSize(tt.in)
		if assert.Equal(t, tt.ok, err == nil, tt.in) && tt.ok {
			assert.Equal(t, tt.want, got, tt.in)
		}
	}
}

func TestJSONInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{`4096`, 4096, true},
		{`-1`, -1, true},
		{`"0x7f0000000000"`, 0x7f0000000000, true},
		{`"18446744073709551615"`, -1, true}, // MAP_FAILED as unsigned
		{`"-1"`, -1, true},
		{`true`, 0, false},
		{`"x"`, 0, false},
		{`1.5`, 0, false},
	}
	for _, tt := range tests {
		var n jsonInt
		err := json.Unmarshal([]byte(tt.in), &n)
		if assert.Equal(t, tt.ok, err == nil, tt.in) && tt.ok {
			assert.Equal(t, tt.want, int64(n), tt.in)
		}
	}
}

func FuzzParsers(f *testing.F) {
	for _, s := range []string{"64K", "0x10", `"0x7f"`, "-1", "1_000", "9999999999999999999999G"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseSize(s)
		queryUint(s, "x")
		var n jsonInt
		n.UnmarshalJSON([]byte(s))
	})
}
