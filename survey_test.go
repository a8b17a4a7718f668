package congdoanbot

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSurveyOptions(t *testing.T) {
	cases := []struct {
		in     string
		want   []string
		reason Reason
	}{
		{"Thể thao; Văn nghệ;  Tham quan ", []string{"Thể thao", "Văn nghệ", "Tham quan"}, ""},
		{"Có\nKhông\n\n", []string{"Có", "Không"}, ""},
		{"Chỉ một", nil, ReasonSurveyOptions},
		{"a;b;c;d;e;f;g;h;i;j;k", nil, ReasonSurveyOptions},
		{"Phở; PHỞ", nil, ReasonSurveyOptionDup},
		{"Ngắn; " + strings.Repeat("x", 101), nil, ReasonSurveyOptionLong},
		{"Có; Không\u200b", nil, ReasonText},
	}
	for _, c := range cases {
		got, err := ParseSurveyOptions(c.in)
		if ErrorReason(err) != c.reason || !slices.Equal(got, c.want) {
			t.Errorf("ParseSurveyOptions(%q) = %q, %v", c.in, got, err)
		}
	}
}

func TestValidateFreeAnswer(t *testing.T) {
	if got, err := ValidateFreeAnswer("  Dòng một \n\n\n  dòng  hai "); err != nil || got != "Dòng một\n\ndòng hai" {
		t.Errorf("got %q, %v", got, err)
	}
	for in, reason := range map[string]Reason{"   ": ReasonSurveyAnswer, strings.Repeat("ý ", 501): ReasonSurveyAnswerLong, "a\x07b": ReasonText} {
		if _, err := ValidateFreeAnswer(in); ErrorReason(err) != reason {
			t.Errorf("ValidateFreeAnswer(%q) = %v, want %s", cut(in), err, reason)
		}
	}
}

func cut(s string) string { return Truncate(s, 20) }

func testSurvey() *Survey {
	return &Survey{Title: "Khảo sát", Audience: AudienceAll, ClosesOn: Date{2026, 11, 30}, Questions: []SurveyQuestion{
		{Kind: QuestionSingle, Text: "Một?", Options: []string{"A", "B"}},
		{Kind: QuestionMultiple, Text: "Nhiều?", Options: []string{"A", "B", "C"}},
		{Kind: QuestionRating, Text: "Điểm?"},
		{Kind: QuestionText, Text: "Ý kiến?"},
	}}
}

func TestSurveyValidateAndCheckAnswers(t *testing.T) {
	s := testSurvey()
	today := Date{2026, 11, 25}
	if err := s.Validate(today); err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(Date{2026, 12, 1}); ErrorReason(err) != ReasonSurveyCloseDate {
		t.Errorf("closed in the past: %v", err)
	}
	bad := *s
	bad.Audience, bad.UnitIDs = AudienceUnits, nil
	if err := bad.Validate(today); ErrorReason(err) != ReasonAnnouncementUnits {
		t.Errorf("no units: %v", err)
	}
	ok := []SurveyAnswer{{Options: []int{1}}, {Options: []int{0, 2}}, {Rating: 5}, {}}
	if err := s.CheckAnswers(ok); err != nil {
		t.Fatal(err)
	}
	for i, as := range [][]SurveyAnswer{
		ok[:3],
		{{Options: []int{0, 1}}, ok[1], ok[2], ok[3]},
		{ok[0], {Options: []int{2, 0}}, ok[2], ok[3]},
		{ok[0], {Options: []int{0, 0}}, ok[2], ok[3]},
		{ok[0], {Options: []int{3}}, ok[2], ok[3]},
		{ok[0], ok[1], {Rating: 6}, ok[3]},
		{ok[0], ok[1], ok[2], {Text: " untrimmed "}},
	} {
		if err := s.CheckAnswers(as); ErrorReason(err) != ReasonSurveyAnswer {
			t.Errorf("case %d: %v", i, err)
		}
	}
}

func TestTallySurvey(t *testing.T) {
	s := testSurvey()
	rs := []SurveyResponse{
		{Answers: []SurveyAnswer{{Options: []int{0}}, {Options: []int{0, 2}}, {Rating: 5}, {Text: "Tốt"}}},
		{Answers: []SurveyAnswer{{Options: []int{1}}, {Options: []int{2}}, {Rating: 4}, {}}},
		{Answers: []SurveyAnswer{{Options: []int{1}}, {Options: []int{1, 2}}, {Rating: 4}, {}}},
	}
	at := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	res := TallySurvey(s, rs, Date{2026, 11, 25}, at)
	if res.Withheld || res.Responses != 3 {
		t.Fatalf("%+v", res)
	}
	q := res.Questions
	if !slices.Equal(q[0].Counts, []int{1, 2}) || q[0].Percent(2) != 67 || q[0].Percent(1) != 33 {
		t.Errorf("single: %+v", q[0])
	}
	if !slices.Equal(q[1].Counts, []int{1, 1, 3}) || q[1].Percent(3) != 100 {
		t.Errorf("multiple: %+v", q[1])
	}
	if !slices.Equal(q[2].Counts, []int{0, 0, 0, 2, 1}) || q[2].AverageTenths() != 43 {
		t.Errorf("rating: %+v avg %d", q[2], q[2].AverageTenths())
	}
	if q[3].Answered != 1 || len(q[3].Texts) != 1 || q[3].Texts[0].Text != "Tốt" {
		t.Errorf("text: %+v", q[3])
	}
	// Anonymous: nothing while open, nor with fewer than three answers.
	s.Anonymous = true
	if res := TallySurvey(s, rs, Date{2026, 11, 30}, at); !res.Withheld || res.Questions != nil || res.Rows != nil {
		t.Errorf("open anonymous survey shown: %+v", res)
	}
	if res := TallySurvey(s, rs[:2], Date{2026, 12, 1}, at); !res.Withheld {
		t.Errorf("two answers shown")
	}
	if res := TallySurvey(s, rs, Date{2026, 12, 1}, at); res.Withheld {
		t.Errorf("closed with three answers withheld")
	}
}

func TestAudienceReaches(t *testing.T) {
	member := &Member{Status: StatusActive, Role: RoleMember, UnitID: 12}
	chair := &Member{Status: StatusActive, Role: RoleChair, UnitID: 3}
	pending := &Member{Status: StatusPending, UnitID: 3}
	cases := []struct {
		aud        Audience
		m          *Member
		grassroots int64
		units      []int64
		want       bool
	}{
		{AudienceAll, member, 3, nil, true},
		{AudienceAll, pending, 3, nil, false},
		{AudienceChairs, member, 3, nil, false},
		{AudienceChairs, chair, 3, nil, true},
		{AudienceUnits, member, 3, []int64{3}, true}, // a sub-unit of unit 3
		{AudienceUnits, member, 3, []int64{4}, false},
		{AudienceUnits, chair, 3, []int64{3, 4}, true},
		{Audience("x"), member, 3, nil, false},
	}
	for i, c := range cases {
		if got := c.aud.Reaches(c.m, c.grassroots, c.units); got != c.want {
			t.Errorf("case %d: %t", i, got)
		}
	}
}

func TestEventTimes(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	start := time.Date(2026, 11, 26, 14, 0, 0, 0, loc)
	e := &Event{Name: "Hội thao", Place: "Sân", Start: start, End: start.Add(2 * time.Hour), Audience: AudienceAll, Kind: "van_nghe"}
	now := start.Add(-48 * time.Hour)
	if err := e.Validate(now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at     time.Time
		reason Reason
	}{
		{start.Add(-61 * time.Minute), ReasonCheckInEarly},
		{start.Add(-time.Hour), ""},
		{start.Add(2 * time.Hour), ""},
		{start.Add(2*time.Hour + time.Second), ReasonCheckInLate},
	} {
		if err := e.CheckInAllowed(c.at); ErrorReason(err) != c.reason {
			t.Errorf("check-in at %s: %v", c.at.Format("15:04:05"), err)
		}
	}
	if got := e.DayBeforeAt(loc); !got.Equal(time.Date(2026, 11, 25, 8, 0, 0, 0, loc)) {
		t.Errorf("day before at %v", got)
	}
	if got := e.SoonAt(); !got.Equal(start.Add(-2 * time.Hour)) {
		t.Errorf("soon at %v", got)
	}
	if err := ValidateEventTimes(start, start, now); ErrorReason(err) != ReasonEventEnd {
		t.Errorf("end at start: %v", err)
	}
	if err := ValidateEventTimes(start, start.Add(8*24*time.Hour), now); ErrorReason(err) != ReasonEventEnd {
		t.Errorf("eight days: %v", err)
	}
	if err := ValidateEventTimes(start, start.Add(time.Hour), start); ErrorReason(err) != ReasonEventTime {
		t.Errorf("starting now: %v", err)
	}
}
