package worker

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{
		"1536": 1536, "512M": 512 << 20, "512MiB": 512 << 20, "512mb": 512 << 20,
		"4G": 4 << 30, "4GiB": 4 << 30, "2 G": 2 << 30, "1T": 1 << 40, "12kb": 12 << 10, "7B": 7,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "lots", "-1G", "4X", "0", "1.5G", "99999999999T"} {
		if got, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", bad, got)
		}
	}
}

func TestMemoryBudget(t *testing.T) {
	for _, tc := range []struct {
		env    string
		budget uint64
		ok     bool
	}{
		{"", 6 << 30, true},
		{"off", 0, false},
		{"OFF", 0, false},
		{"0", 0, false},
		{"512MiB", 512 << 20, true},
	} {
		t.Setenv(MemoryEnv, tc.env)
		budget, ok, err := memoryBudget(8 << 30)
		if err != nil || budget != tc.budget || ok != tc.ok {
			t.Errorf("%s=%q: budget %d, %v, %v; want %d, %v", MemoryEnv, tc.env, budget, ok, err, tc.budget, tc.ok)
		}
	}
	t.Setenv(MemoryEnv, "lots")
	if _, _, err := memoryBudget(8 << 30); err == nil {
		t.Errorf("%s=lots: no error", MemoryEnv)
	}
}

func TestWriteHeapProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "heap")
	if err := writeHeapProfile(path); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fmt.Sprintf("%s.%d", path, os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	// A pprof profile is gzipped protobuf.
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("not a gzipped profile: % x", b[:min(len(b), 8)])
	}
}
