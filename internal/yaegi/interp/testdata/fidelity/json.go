// encoding/json on a program's types: unexported fields are skipped, the
// fields of an embedded struct promoted.
package main

import (
	"encoding/json"
	"fmt"
)

type base struct{ ID int }

type User struct {
	Name     string `json:"name"`
	password string
	age      int `json:"age"`
	Tags     []string
}

type D struct {
	base
	Name string
	note string
}

type Nested struct {
	U    User `json:"user"`
	List []D
}

func main() {
	b, err := json.Marshal(User{"al", "secret", 3, nil})
	fmt.Println(string(b), err)
	b, err = json.Marshal(D{base{1}, "n", "x"})
	fmt.Println(string(b), err)
	b, err = json.MarshalIndent(Nested{User{Name: "z"}, []D{{base{2}, "m", ""}}}, "", " ")
	fmt.Println(string(b), err)
	var u User
	err = json.Unmarshal([]byte(`{"name":"bo","password":"x","age":5}`), &u)
	fmt.Printf("%+v %v\n", u, err)
	var d D
	err = json.Unmarshal([]byte(`{"ID":7,"Name":"q"}`), &d)
	fmt.Printf("%+v %v\n", d, err)
}
