package jobs

import (
	"context"

	"github.com/congdoanbot/congdoanbot/bot"
	"github.com/congdoanbot/congdoanbot/storage"
)

// surveyEventJobs are the scheduled work of surveys and events. Like the
// announcements, they run at every trigger with no period: each survey's
// and each event's piece of work is recorded on the survey or event, in
// the transaction that queues its messages, so it is done once, and a
// trigger after downtime catches up on what fell due meanwhile.
func surveyEventJobs(b *bot.Bot, set Settings) []*Job {
	return []*Job{
		{Name: "surveys", Help: "remind who has not answered a survey the day before it closes; results to its author after", Spec: set.Surveys,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) { return b.QueueSurveyWork(tx, r.At) }},
		{Name: "events", Help: "event reminders (08:00 the day before, 2 hours before); activities for those checked in after the end", Spec: set.Events,
			Run: func(_ context.Context, tx *storage.Tx, r Run) (int, error) { return b.QueueEventWork(tx, r.At) }},
	}
}
