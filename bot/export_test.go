package bot

// SignForTest exposes the v0 signature to the external tests, which sign
// requests exactly as Slack does.
func SignForTest(secret, ts string, body []byte) string { return sign(secret, ts, body) }
