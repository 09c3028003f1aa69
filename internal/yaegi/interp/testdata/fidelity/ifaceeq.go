package main

import "fmt"

type speaker interface{ speak() string }

type cat struct{ name string }

func (c *cat) speak() string { return c.name }

type dog struct{ name string }

func (d dog) speak() string { return d.name }

// Values of a program's interface type compare as Go compares them: by
// what they hold.
func main() {
	c1, c2 := &cat{"a"}, &cat{"a"}
	var s1, s2, s3 speaker = c1, c1, c2
	fmt.Println(s1 == s2, s1 == s3, s1 != s3)
	var d1 speaker = dog{"rex"}
	var d2 speaker = dog{"rex"}
	var d3 speaker = dog{"max"}
	fmt.Println(d1 == d2, d1 == d3, d1 != d3)
	var n1, n2 speaker
	fmt.Println(n1 == n2, n1 == nil, s1 == nil, n1 == s1)
}
