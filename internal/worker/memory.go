package worker

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// MemoryEnv names the environment variable that sets how much memory cells
// may take: a size such as 512MiB or 4G, or "off". Unset, it is three
// quarters of the machine's memory.
const MemoryEnv = "JUGGLER_MEMORY_LIMIT"

// memoryBudget reads MemoryEnv. ok is false when there is to be no limit.
func memoryBudget(total uint64) (budget uint64, ok bool, err error) {
	v := strings.TrimSpace(os.Getenv(MemoryEnv))
	switch strings.ToLower(v) {
	case "":
		return total / 4 * 3, total > 0, nil
	case "off", "0":
		return 0, false, nil
	}
	n, err := parseSize(v)
	if err != nil {
		return 0, false, fmt.Errorf("%s=%q: %w", MemoryEnv, v, err)
	}
	return n, true, nil
}

// parseSize reads a byte count with an optional binary unit: 1536, 512M,
// 512MiB, 4G, 4GB (all units are powers of 1024, as memory is counted).
func parseSize(s string) (uint64, error) {
	num := strings.TrimRight(s, "KMGTiBkmgtb")
	unit := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(s[len(num):]), "B"), "I")
	shift := map[string]uint{"": 0, "K": 10, "M": 20, "G": 30, "T": 40}
	sh, known := shift[unit]
	n, err := strconv.ParseUint(strings.TrimSpace(num), 10, 64)
	if err != nil || !known || n == 0 {
		return 0, fmt.Errorf("not a size (e.g. 512MiB, 4G, or off)")
	}
	if n > (^uint64(0))>>sh {
		return 0, fmt.Errorf("too large")
	}
	return n << sh, nil
}
