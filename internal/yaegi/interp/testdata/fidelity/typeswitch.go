package main

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

type code struct{ n int }

func (c code) Error() string { return "code " + strconv.Itoa(c.n) }

type label struct{ s string }

func (l label) String() string { return "<" + l.s + ">" }

type bare struct{ x int }

func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case error:
		return "error: " + x.Error()
	case fmt.Stringer:
		return "stringer: " + x.String()
	case int, string:
		return fmt.Sprint("basic ", x)
	default:
		return fmt.Sprintf("other %v", x)
	}
}

func isError(v any) bool {
	switch v.(type) {
	case error:
		return true
	}
	return false
}

func stringer(v any) string {
	switch s := v.(type) {
	case fmt.Stringer:
		return s.String()
	}
	return "-"
}

// A case of a host interface type (error, fmt.Stringer) matches host
// values and the program's values that implement it.
func main() {
	vals := []any{nil, errors.New("plain"), code{3}, label{"x"}, time.Second, 4, "s", bare{1}}
	for _, v := range vals {
		fmt.Println(kind(v), isError(v), stringer(v))
	}
}
