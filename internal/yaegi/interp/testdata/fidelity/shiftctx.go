// A shift of an untyped constant by a variable takes its type from the
// other operand: 1<<j in word&(1<<j) is a uint64 (gopl.io's IntSet).
package main

import "fmt"

type IntSet struct{ words []uint64 }

func (s *IntSet) Has(x int) bool {
	word, bit := x/64, uint(x%64)
	return word < len(s.words) && s.words[word]&(1<<bit) != 0
}

func (s *IntSet) Add(x int) {
	word, bit := x/64, uint(x%64)
	for word >= len(s.words) {
		s.words = append(s.words, 0)
	}
	s.words[word] |= 1 << bit
}

func (s *IntSet) String() string {
	out := "{"
	for i, word := range s.words {
		for j := 0; j < 64; j++ {
			if word&(1<<uint(j)) != 0 {
				if len(out) > 1 {
					out += " "
				}
				out += fmt.Sprint(64*i + j)
			}
		}
	}
	return out + "}"
}

func main() {
	var s IntSet
	for _, x := range []int{1, 144, 9, 63, 64} {
		s.Add(x)
	}
	fmt.Println(&s, s.Has(9), s.Has(10))
	var u8 uint8 = 0xF0
	n := 3
	fmt.Println(u8&(1<<n) != 0, u8|(1<<n), u8>>(1<<1))
	var i64 int64 = 1
	fmt.Println(i64+(1<<n), i64<<n)
}
