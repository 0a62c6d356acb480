package bot

import "errors"

// CommandVerb names the command a slash command's text asks for, in the
// grammar's English verb whatever language it was typed in ("today" for
// "今天"), for counting requests by command: "help" for an empty text, the
// verb of a command with wrong arguments, and "unknown" for text the
// grammar does not read. It never returns the text itself, which may name
// products, people or orders, and its values are a fixed, small set.
func CommandVerb(text string) string {
	cmd, err := Parse(text)
	if err == nil {
		return string(cmd.Verb)
	}
	var pe *parseError
	if errors.As(err, &pe) && pe.verb != "" {
		return string(pe.verb)
	}
	return "unknown"
}
