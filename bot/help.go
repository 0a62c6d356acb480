package bot

// helpDoc explains every command, in one message: the help lines of
// commands, grouped and in order (helpGroups, built from the table).
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
