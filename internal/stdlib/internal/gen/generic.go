package main

func writeGeneric(dir string) error { return nil }
