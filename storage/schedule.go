package storage

import (
	"strings"

	"github.com/robfig/cron/v3"
)

// cronFields name the five fields of a standard cron expression and their
// ranges, so a bad schedule is refused by the field a person got wrong.
var cronFields = []struct {
	name   string
	lo, hi int
}{{"minute", 0, 59}, {"hour", 0, 23}, {"day-of-month", 1, 31}, {"month", 1, 12}, {"day-of-week", 0, 6}}

// ParseSchedule reads a digest schedule: a standard 5-field cron expression
// (or a descriptor such as @daily), in the shop's zone. It is the one place
// schedules are parsed, so the CLI, the chat command and the scheduler
// accept and refuse the same ones; a refusal names the field ("the hour
// field "25" is out of range: use 0-23") rather than the parser's words.
func ParseSchedule(spec string) (cron.Schedule, error) {
	spec = strings.TrimSpace(spec)
	sched, err := cron.ParseStandard(spec)
	if err == nil {
		return sched, nil
	}
	fields := strings.Fields(spec)
	if strings.HasPrefix(spec, "@") || len(fields) != len(cronFields) {
		return nil, Errorf(EINVALID, "schedule %q: use five fields, minute hour day-of-month month day-of-week, such as \"0 9 * * *\" (09:00 daily)", spec)
	}
	for i, f := range fields {
		probe := []string{"*", "*", "*", "*", "*"}
		probe[i] = f
		if _, err := cron.ParseStandard(strings.Join(probe, " ")); err != nil {
			c := cronFields[i]
			return nil, Errorf(EINVALID, "schedule %q: the %s field %q is out of range or not a number: use %d-%d", spec, c.name, f, c.lo, c.hi)
		}
	}
	return nil, Errorf(EINVALID, "schedule %q is not a 5-field cron expression, such as \"0 9 * * *\"", spec)
}
