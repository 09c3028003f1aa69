package main

import (
	"bytes"
	"fmt"

	"golang.org/x/text/unicode/norm"
)

func main() {
	s := "e\u0301te\u0301"
	fmt.Println(len(s), len(norm.NFC.String(s)), norm.NFC.IsNormalString(s), norm.NFD.String("é") == "e\u0301")
	var buf bytes.Buffer
	w := norm.NFC.Writer(&buf)
	fmt.Fprint(w, s)
	w.Close()
	fmt.Printf("%q %d\n", buf.String(), buf.Len())
	var it norm.Iter
	it.InitString(norm.NFKD, "ﬁ½")
	for !it.Done() {
		fmt.Printf("%q ", it.Next())
	}
	fmt.Println()
}
