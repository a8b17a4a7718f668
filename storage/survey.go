package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cd "github.com/congdoanbot/congdoanbot"
)

// idList stores unit ids as "1,2,3".
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func parseIDList(s string) []int64 {
	var out []int64
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

const surveyColumns = `s.id, s.title, s.questions, s.anonymous, s.audience, s.unit_ids, COALESCE(s.created_by, 0), s.closes_on,
	s.recipients, s.created_at, s.reminded_at, s.closed_at, COALESCE(m.full_name, '')`

const surveyFrom = ` FROM surveys s LEFT JOIN members m ON m.id = s.created_by `

func scanSurvey(sc interface{ Scan(...any) error }) (*cd.Survey, error) {
	var s cd.Survey
	var questions, units, closes string
	var created, reminded, closed sql.NullString
	if err := sc.Scan(&s.ID, &s.Title, &questions, &s.Anonymous, &s.Audience, &units, &s.CreatedBy, &closes,
		&s.Recipients, &created, &reminded, &closed, &s.CreatorName); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(questions), &s.Questions); err != nil {
		return nil, fmt.Errorf("questions of survey %d: %w", s.ID, err)
	}
	d, err := cd.ParseISODate(closes)
	if err != nil {
		return nil, err
	}
	s.UnitIDs, s.ClosesOn = parseIDList(units), d
	s.CreatedAt, s.RemindedAt, s.ClosedAt = parseTime(created), parseTime(reminded), parseTime(closed)
	return &s, nil
}

func querySurveys(ctx context.Context, q querier, where string, args ...any) ([]cd.Survey, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+surveyColumns+surveyFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("query surveys: %w", err)
	}
	defer rows.Close()
	var out []cd.Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, fmt.Errorf("scan survey: %w", err)
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

func surveyByID(ctx context.Context, q querier, id int64) (*cd.Survey, error) {
	ss, err := querySurveys(ctx, q, `WHERE s.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, cd.Errorf(cd.ENOTFOUND, cd.ReasonSurveyNotFound, "survey %d", id)
	}
	return &ss[0], nil
}

// CreateSurvey stores a survey, setting its ID.
func (tx *Tx) CreateSurvey(s *cd.Survey) error {
	questions, err := json.Marshal(s.Questions)
	if err != nil {
		return fmt.Errorf("encode survey questions: %w", err)
	}
	s.CreatedAt = tx.now
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO surveys (title, questions, anonymous, audience, unit_ids, created_by,
		closes_on, recipients, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.Title, string(questions), s.Anonymous, s.Audience, idList(s.UnitIDs), nullInt(s.CreatedBy), s.ClosesOn.String(),
		s.Recipients, fmtTime(s.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert survey: %w", err)
	}
	s.ID, err = res.LastInsertId()
	return err
}

// SetSurveyRecipients records how many members the invitation went to.
func (tx *Tx) SetSurveyRecipients(id int64, n int) error {
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE surveys SET recipients = ? WHERE id = ?`, n, id); err != nil {
		return fmt.Errorf("survey %d recipients: %w", id, err)
	}
	return nil
}

// SurveyByID returns a survey, or ENOTFOUND.
func (tx *Tx) SurveyByID(id int64) (*cd.Survey, error) { return surveyByID(tx.ctx, tx.tx, id) }

// OpenSurveys lists the surveys that take answers on day today, the one
// closing first first.
func (tx *Tx) OpenSurveys(today cd.Date) ([]cd.Survey, error) {
	return querySurveys(tx.ctx, tx.tx, `WHERE s.closes_on >= ? ORDER BY s.closes_on, s.id`, today.String())
}

// SurveysBy lists the newest surveys a member created, or every member's
// when by is 0.
func (tx *Tx) SurveysBy(by int64, limit int) ([]cd.Survey, error) {
	return querySurveys(tx.ctx, tx.tx, `WHERE ? = 0 OR s.created_by = ? ORDER BY s.id DESC LIMIT ?`, by, by, limit)
}

// SurveysToRemind lists the surveys not yet reminded that close on or
// before lastDay.
func (tx *Tx) SurveysToRemind(lastDay cd.Date) ([]cd.Survey, error) {
	return querySurveys(tx.ctx, tx.tx, `WHERE s.reminded_at IS NULL AND s.closes_on <= ? ORDER BY s.id`, lastDay.String())
}

// SurveysToClose lists the surveys closed before today whose close was
// not yet processed.
func (tx *Tx) SurveysToClose(today cd.Date) ([]cd.Survey, error) {
	return querySurveys(tx.ctx, tx.tx, `WHERE s.closed_at IS NULL AND s.closes_on < ? ORDER BY s.id`, today.String())
}

// MarkSurveyReminded records that the reminder before closing was done.
func (tx *Tx) MarkSurveyReminded(id int64) error {
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE surveys SET reminded_at = ? WHERE id = ?`, fmtTime(tx.now), id)
	if err != nil {
		return fmt.Errorf("survey %d reminded: %w", id, err)
	}
	return nil
}

// CloseSurvey records that a survey's close was processed. For an
// anonymous survey it forgets who answered: that was kept only for the
// reminder and to take one answer a member, and the survey is over.
func (tx *Tx) CloseSurvey(s *cd.Survey) error {
	if s.Anonymous {
		if _, err := tx.tx.ExecContext(tx.ctx, `DELETE FROM survey_respondents WHERE survey_id = ?`, s.ID); err != nil {
			return fmt.Errorf("forget respondents of survey %d: %w", s.ID, err)
		}
	}
	_, err := tx.tx.ExecContext(tx.ctx, `UPDATE surveys SET closed_at = ? WHERE id = ?`, fmtTime(tx.now), s.ID)
	if err != nil {
		return fmt.Errorf("close survey %d: %w", s.ID, err)
	}
	return nil
}

// SurveyResponded reports whether a member answered a survey.
func (tx *Tx) SurveyResponded(surveyID, memberID int64) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM survey_respondents WHERE survey_id = ? AND member_id = ?`,
		surveyID, memberID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("responded to survey %d: %w", surveyID, err)
	}
	return n > 0, nil
}

// SurveyRespondents is the set of members who answered a survey, for its
// reminder.
func (tx *Tx) SurveyRespondents(surveyID int64) (map[int64]bool, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT member_id FROM survey_respondents WHERE survey_id = ?`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("respondents of survey %d: %w", surveyID, err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("respondents of survey %d: %w", surveyID, err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// MySurveyAnswers returns a member's answers to a named survey, or nil.
// An anonymous survey's answers are nobody's: it returns nil.
func (tx *Tx) MySurveyAnswers(surveyID, memberID int64) ([]cd.SurveyAnswer, error) {
	var body string
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT answers FROM survey_responses WHERE survey_id = ? AND member_id = ?`,
		surveyID, memberID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("answers of member %d to survey %d: %w", memberID, surveyID, err)
	}
	var as []cd.SurveyAnswer
	if err := json.Unmarshal([]byte(body), &as); err != nil {
		return nil, fmt.Errorf("answers of member %d to survey %d: %w", memberID, surveyID, err)
	}
	return as, nil
}

// SaveSurveyResponse stores a member's answers and records that they
// answered. A named survey keeps one response a member, replaced when
// they answer again. An anonymous survey's response is stored with a
// random key, no member and no time, and only once: a second one is
// refused (ReasonSurveyAnswered), since nothing says which response to
// replace.
func (tx *Tx) SaveSurveyResponse(s *cd.Survey, memberID int64, answers []cd.SurveyAnswer) error {
	if err := s.CheckAnswers(answers); err != nil {
		return err
	}
	body, err := json.Marshal(answers)
	if err != nil {
		return fmt.Errorf("encode answers: %w", err)
	}
	res, err := tx.tx.ExecContext(tx.ctx, `INSERT INTO survey_respondents (survey_id, member_id) VALUES (?, ?)
		ON CONFLICT DO NOTHING`, s.ID, memberID)
	if err != nil {
		return fmt.Errorf("record respondent of survey %d: %w", s.ID, err)
	}
	first, _ := res.RowsAffected()
	if s.Anonymous {
		if first == 0 {
			return cd.Errorf(cd.ECONFLICT, cd.ReasonSurveyAnswered, "survey %d", s.ID)
		}
		_, err = tx.tx.ExecContext(tx.ctx, `INSERT INTO survey_responses (survey_id, response_key, answers) VALUES (?, ?, ?)`,
			s.ID, randomKey(), string(body))
	} else {
		_, err = tx.tx.ExecContext(tx.ctx, `INSERT INTO survey_responses (survey_id, response_key, member_id, answers, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (survey_id, response_key) DO UPDATE SET answers = excluded.answers,
			updated_at = excluded.updated_at`, s.ID, "m"+strconv.FormatInt(memberID, 10), memberID, string(body), fmtTime(tx.now))
	}
	if err != nil {
		return fmt.Errorf("store response to survey %d: %w", s.ID, err)
	}
	return nil
}

// randomKey is 128 random bits in hex: the key of an anonymous response,
// which says nothing of who or when.
func randomKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// ForgetInboxPayload empties the stored content of a received update,
// which is kept a few days for deduplication: an answer to an anonymous
// survey must not stay beside the account that sent it.
func (tx *Tx) ForgetInboxPayload(id int64) error {
	if id == 0 {
		return nil
	}
	if _, err := tx.tx.ExecContext(tx.ctx, `UPDATE inbox SET payload = X'' WHERE id = ?`, id); err != nil {
		return fmt.Errorf("forget content of update %d: %w", id, err)
	}
	return nil
}

// SurveyResponses lists a survey's responses: a named survey's with the
// members' names, ordered by name; an anonymous survey's in the order of
// their random keys.
func (tx *Tx) SurveyResponses(surveyID int64) ([]cd.SurveyResponse, error) {
	return surveyResponses(tx.ctx, tx.tx, surveyID)
}

func surveyResponses(ctx context.Context, q querier, surveyID int64) ([]cd.SurveyResponse, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.answers, COALESCE(r.member_id, 0), COALESCE(m.full_name, ''), COALESCE(u.code, ''),
			r.updated_at
		FROM survey_responses r LEFT JOIN members m ON m.id = r.member_id LEFT JOIN units u ON u.id = m.unit_id
		WHERE r.survey_id = ? ORDER BY r.response_key`, surveyID)
	if err != nil {
		return nil, fmt.Errorf("responses to survey %d: %w", surveyID, err)
	}
	defer rows.Close()
	var out []cd.SurveyResponse
	for rows.Next() {
		var r cd.SurveyResponse
		var body string
		var updated sql.NullString
		if err := rows.Scan(&body, &r.MemberID, &r.MemberName, &r.UnitCode, &updated); err != nil {
			return nil, fmt.Errorf("responses to survey %d: %w", surveyID, err)
		}
		if err := json.Unmarshal([]byte(body), &r.Answers); err != nil {
			return nil, fmt.Errorf("responses to survey %d: %w", surveyID, err)
		}
		r.UpdatedAt = parseTime(updated)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortResponses(out)
	return out, nil
}

// sortResponses orders named responses by name, as Vietnamese lists are.
func sortResponses(rs []cd.SurveyResponse) {
	if len(rs) == 0 || rs[0].MemberID == 0 {
		return
	}
	slices.SortStableFunc(rs, func(a, b cd.SurveyResponse) int { return cd.CompareNames(a.MemberName, b.MemberName) })
}

// SurveyResponseCount is how many responses a survey has.
func (tx *Tx) SurveyResponseCount(surveyID int64) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(tx.ctx, `SELECT COUNT(*) FROM survey_responses WHERE survey_id = ?`, surveyID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count responses to survey %d: %w", surveyID, err)
	}
	return n, nil
}

// SurveyWithResponses reads a survey and its responses in one snapshot,
// for the export.
func (db *DB) SurveyWithResponses(ctx context.Context, id int64) (*cd.Survey, []cd.SurveyResponse, error) {
	var s *cd.Survey
	var rs []cd.SurveyResponse
	err := db.view(ctx, func(tx *sql.Tx) error {
		var err error
		if s, err = surveyByID(ctx, tx, id); err != nil {
			return err
		}
		rs, err = surveyResponses(ctx, tx, id)
		return err
	})
	return s, rs, err
}
