package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() {
	id := uuid.NewSHA1(uuid.NameSpaceDNS, []byte("example.com"))
	fmt.Println(id, int(id.Version()), id.Variant())
	p, err := uuid.Parse("f47ac10b-58cc-4372-a567-0e02b2c3d479")
	fmt.Println(p, err, int(p.Version()))
	r := uuid.New()
	fmt.Println(len(r.String()), int(r.Version()))
	_, err = uuid.Parse("nope")
	fmt.Println(err)
	fmt.Printf("%v|%d|%s|%x|%q\n", p, p, p, p, p)
	type user struct {
		ID   uuid.UUID
		Name string
	}
	u := user{p, "ann"}
	fmt.Printf("%v %+v\n", u, &u)
	fmt.Println([]uuid.UUID{p, uuid.Nil}, map[uuid.UUID]int{p: 1}, uuid.NullUUID{UUID: p, Valid: true})
}
