package bot

// helpDoc explains every command, in one message.
func helpDoc(l lang) *doc {
	d := &doc{lang: l, title: l.t("help.title")}
	for _, g := range helpGroups {
		s := section{heading: l.t(g.heading)}
		for _, key := range g.keys {
			s.lines = append(s.lines, line{txt(l.t(key))})
		}
		d.sections = append(d.sections, s)
	}
	d.footer = l.t("help.footer")
	return d
}

var helpGroups = []struct {
	heading string
	keys    []string
}{
	{"help.look", []string{"help.today", "help.reviews", "help.late"}},
	{"help.follow", []string{"help.assign", "help.done", "help.claim", "help.mine", "help.outcomes"}},
	{"help.setup", []string{"help.bind", "help.owner", "help.schedule", "help.settings"}},
}
