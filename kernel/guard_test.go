package kernel

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
)

func TestFrameGuard(t *testing.T) {
	greeting := make([]byte, greetingLen)
	long := func(flags byte, size uint64) []byte {
		b := []byte{flags | 0x02, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(b[1:], size)
		return b
	}
	tests := []struct {
		name   string
		stream []byte
		ok     bool
	}{
		{"greeting only", greeting, true},
		{"short frames", append(append(append([]byte{}, greeting...), 0x04, 3, 'a', 'b', 'c'), 0x00, 0), true},
		{"long frame under limit", append(append(append([]byte{}, greeting...), long(0x01, 10)...), bytes.Repeat([]byte{'x'}, 10)...), true},
		{"long frame over limit", append(append([]byte{}, greeting...), long(0, 1<<40)...), false},
		{"forged huge size", append(append([]byte{}, greeting...), long(0, 1<<63)...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Feed one byte at a time and all at once: the guard must not
			// depend on how reads split the stream.
			for _, chunk := range []int{1, len(tt.stream)} {
				g := frameGuard{max: 1 << 20, skip: greetingLen}
				var err error
				for i := 0; i < len(tt.stream) && err == nil; i += chunk {
					err = g.feed(tt.stream[i:min(i+chunk, len(tt.stream))])
				}
				if tt.ok && err != nil {
					t.Fatalf("chunk %d: %v", chunk, err)
				}
				if !tt.ok && !errors.Is(err, errFrameTooLarge) {
					t.Fatalf("chunk %d: err = %v, want errFrameTooLarge", chunk, err)
				}
			}
		})
	}
}
