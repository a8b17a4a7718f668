package congdoanbot

import "testing"

func TestMediaRef(t *testing.T) {
	if ref := MediaRef(42); ref != "media:42" {
		t.Fatalf("MediaRef = %q", ref)
	}
	for ref, want := range map[string]int64{
		"media:42": 42, "media:1": 1,
		"media:": 0, "media:0": 0, "media:-3": 0, "media:042": 0, "media:4x": 0, "AgACAgIAAxkBAAIB": 0, "": 0,
		"media:99999999999999999999": 0,
	} {
		id, ok := ParseMediaRef(ref)
		if id != want || ok != (want != 0) {
			t.Errorf("ParseMediaRef(%q) = %d, %v", ref, id, ok)
		}
	}
}
