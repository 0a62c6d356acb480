package bot

import (
	"fmt"
	"golang.org/x/text/width"
	"strings"
	"unicode"

	"github.com/dsrbot/dsrbot/storage"
)

// lang picks one side of the message catalogue. Every sentence a user reads
// comes from catalog, so English and Chinese never drift into two code paths.
type lang int

const (
	en lang = iota
	zh
)

// langOf returns the language of a shop's messages.
func langOf(s *storage.Shop) lang {
	if s != nil && s.Lang == storage.LangChinese {
		return zh
	}
	return en
}

// parseLang reads a language as DSRBOT_LANG and `shop --lang` write it
// (storage.LangEnglish, storage.LangChinese); empty is English, the
// default of both.
func parseLang(s string) (lang, bool) {
	switch s {
	case "", storage.LangEnglish:
		return en, true
	case storage.LangChinese:
		return zh, true
	}
	return en, false
}

// saidInChinese reports whether a command's first word is Chinese (我的,
// 帮助, 今天, 分配R1给@a): whoever typed it reads Chinese.
func saidInChinese(text string) bool {
	words := strings.Fields(width.Fold.String(text))
	if len(words) == 0 {
		return false
	}
	for _, r := range words[0] {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// t formats the catalogue entry key in language l. A missing key is a bug
// caught by TestCatalogComplete, so it shows loudly rather than silently.
func (l lang) t(key string, args ...any) string {
	e, ok := catalog[key]
	if !ok {
		return "!" + key
	}
	return fmt.Sprintf(e[l], args...)
}

// catalog holds every user-facing sentence: key -> {English, Chinese}.
var catalog = map[string][2]string{
	// Score card.
	"card.title":          {"%s · %s · %s", "%s · %s · %s"},
	"platform.douyin":     {"Douyin", "抖音"},
	"platform.taobao":     {"Taobao", "淘宝"},
	"card.score":          {"Score", "评分"},
	"card.overall":        {"商家体验分 %s (shows %s★)", "商家体验分 %s（展示 %s★）"},
	"card.change.day":     {"%s vs previous day", "较前一日 %s"},
	"card.change.week":    {"%s vs 7 days before", "较7日前 %s"},
	"card.noprev":         {"no score of %s to compare", "%s 无评分可比"},
	"card.gate.above":     {"%s above the %s line (%s)", "高于 %[2]s 分线（%[3]s）%[1]s"},
	"card.gate.below":     {"%s below the %s line (%s)", "低于 %[2]s 分线（%[3]s）%[1]s"},
	"card.dimension":      {"%s %d%%: %s", "%s %d%%：%s"},
	"card.dsr":            {"%s: %s", "%s：%s"},
	"card.mover":          {"%s moved most: %s vs previous day, %s of the overall.", "变化最大的是%s：较前一日 %s，影响总分 %s。"},
	"card.mover.dsr":      {"%s moved most: %s vs previous day.", "变化最大的是%s：较前一日 %s。"},
	"card.mover.none":     {"No dimension moved since the previous day.", "各项与前一日相比没有变化。"},
	"card.growth.score":   {"商家体验分 %s · growth stage: not shown to buyers", "商家体验分 %s · 成长期：不对消费者展示"},
	"card.growth.none":    {"商家体验分 · growth stage: no score published (the platform's flat score is %s, or %s after a penalty)", "商家体验分 · 成长期：平台未公布分数（统一为 %s 分，违规后为 %s 分）"},
	"card.growth.hint":    {"The platform makes a shop formal at %d paid orders in 30 days; dsrbot holds %d paid orders from them (a hint: imports may not hold every order).", "平台在近30天支付订单满 %d 笔后转为正式期；dsrbot 中近30天有 %d 笔（仅供参考：导入的订单可能不全）。"},
	"card.noprev.stage":   {"%s was %s, not comparable", "%s 处于%s，不可比较"},
	"card.dimension.none": {"not published", "未公布"},
	"stage.growth":        {"the growth stage", "成长期"},
	"stage.formal":        {"the formal stage", "正式期"},
	"card.noscore":        {"No score imported yet. Import one with: dsrbot import scores FILE", "尚未导入评分。导入：dsrbot import scores FILE"},
	"card.stale":          {"No score imported for today; last is from %s.", "今天的评分尚未导入；最近一次是 %s。"},
	"card.reviews":        {"Bad reviews", "差评"},
	"card.reviews.new":    {"%d new since yesterday · %d older still open", "昨日以来新增 %d 条 · 更早未处理 %d 条"},
	"card.reviews.none":   {"No new bad reviews since yesterday · %d older still open", "昨日以来无新增差评 · 更早未处理 %d 条"},
	"card.shipping":       {"Shipping", "发货"},
	"card.shipping.sum":   {"%d late now · %d at risk (due within %d h)", "已超时 %d 单 · 即将超时 %d 单（%d 小时内到期）"},
	"card.late":           {"Late: %s", "已超时：%s"},
	"card.atrisk":         {"At risk: %s", "即将超时：%s"},
	"card.footer":         {"More: /dsr reviews %[1]s · /dsr late %[1]s", "更多：/dsr reviews %[1]s · /dsr late %[1]s"},

	"dim.douyin.product":   {"商品体验 product", "商品体验"},
	"dim.douyin.logistics": {"物流体验 logistics", "物流体验"},
	"dim.douyin.service":   {"服务体验 service", "服务体验"},
	"dim.taobao.product":   {"描述相符 description", "描述相符"},
	"dim.taobao.logistics": {"物流服务 logistics", "物流服务"},
	"dim.taobao.service":   {"服务态度 service", "服务态度"},

	"aspect.size":        {"size", "尺码"},
	"aspect.material":    {"material", "材质"},
	"aspect.style":       {"style", "款式"},
	"aspect.quality":     {"quality", "质量"},
	"aspect.packaging":   {"packaging", "包装"},
	"aspect.logistics":   {"logistics", "物流"},
	"aspect.service":     {"service", "客服"},
	"aspect.description": {"description", "描述不符"},
	"aspect.other":       {"other", "其他"},

	"unassigned":  {"unassigned", "未分配"},
	"age.minutes": {"%dm ago", "%d分钟前"},
	"age.hours":   {"%dh ago", "%d小时前"},
	"age.days":    {"%dd ago", "%d天前"},
	"due.in":      {"due in %s", "%s后到期"},
	"due.ago":     {"due %s ago", "%s前到期"},
	"dur.m":       {"%dm", "%d分钟"},
	"dur.h":       {"%dh", "%d小时"},
	"dur.dh":      {"%dd %dh", "%d天%d小时"},
	"more":        {"and %d more", "还有 %d 条"},
	"list.sep":    {", ", "、"},
	"list.semi":   {"; ", "；"},
	// A remark after a value, such as a change or a due time: " (▼1.6)"
	// in English, "（▼1.6）" in Chinese, which takes full-width brackets
	// and no space.
	"paren": {" (%s)", "（%s）"},

	// All shops.
	"all.title":          {"All shops · %s", "全部店铺 · %s"},
	"all.noshops":        {"No shops yet. Add one with: dsrbot shop add ID --name NAME --platform douyin|taobao", "还没有店铺。添加：dsrbot shop add ID --name NAME --platform douyin|taobao"},
	"all.noshops.team":   {"No shop belongs to this Slack workspace (%[1]s) yet. An admin gives it one on the bot's machine: dsrbot shop set SHOP --team %[1]s", "还没有店铺归属本 Slack 工作区（%[1]s）。请管理员在机器人所在的服务器上运行：dsrbot shop set 店铺ID --team %[1]s"},
	"all.line":           {"%d new bad · %d open (%d overdue) · %d late · %d at risk", "新差评 %d · 待跟进 %d（逾期 %d）· 超时 %d · 即将超时 %d"},
	"all.summary":        {"%d of %d below %s · %d overdue · %d late", "%[2]d 家中 %[1]d 家低于 %[3]s · 逾期 %[4]d 条 · 超时 %[5]d 单"},
	"all.summary.nogate": {"%d shops · %d overdue · %d late", "共 %d 家 · 逾期 %d 条 · 超时 %d 单"},
	"all.footer":         {"Details: /dsr today SHOP", "详情：/dsr today 店铺ID"},
	"all.noscore":        {"no score yet", "暂无评分"},
	"all.growth":         {"growth stage", "成长期"},

	"scope.all": {"all shops", "全部店铺"},

	// Review list.
	"reviews.title.open": {"Open bad reviews · %s", "未处理差评 · %s"},
	"reviews.title.mine": {"Your open follow-ups · %s", "我的待处理 · %s"},
	"reviews.title.all":  {"Bad reviews · %s", "全部差评 · %s"},
	"reviews.none":       {"Nothing here. 👍", "没有记录。👍"},
	"reviews.count":      {"%d in all, newest first", "共 %d 条，最新在前"},
	"reviews.count.mine": {"%d in all, oldest first", "共 %d 条，最早在前"},
	"reviews.done":       {"done: %s", "已完成：%s"},

	// Late list.
	"late.title":  {"Late and at-risk orders · %s", "超时与即将超时订单 · %s"},
	"late.late":   {"Late now (%d)", "已超时（%d）"},
	"late.atrisk": {"At risk, due within %d h (%d)", "即将超时，%d 小时内到期（%d）"},
	"late.none":   {"No order is late or at risk. 👍", "没有超时或即将超时的订单。👍"},
	"late.line":   {"%s · %s · ¥%s · due %s (%s)%s · %s", "%s · %s · ¥%s · 应发 %s（%s）%s · %s"},

	// Follow-ups.
	"assign.ok":          {": follow-up assigned.", "：已分配跟进。"},
	"done.ok":            {"%s closed: %s.", "%s 已完成：%s。"},
	"done.already":       {"%s was already closed (%s); nothing changed.", "%s 已经完成（%s），未做改动。"},
	"notbad":             {"%s is rated %s: only bad reviews (1-2★) have a follow-up.", "%s 的评价是 %s：只有差评（1-2 星）需要跟进。"},
	"grade.bad":          {"bad review", "差评"},
	"grade.neutral":      {"neutral", "中评"},
	"grade.good":         {"good", "好评"},
	"bind.ok":            {"This channel now gets the digests and warnings of %s.", "本频道将接收 %s 的日报和预警。"},
	"bind.local":         {"There is no channel to bind in the local shell; in Slack, run /dsr bind %s in the shop's channel.", "本地终端没有频道可绑定；请在 Slack 的店铺频道中运行 /dsr bind %s。"},
	"outcome.refund":     {"refund", "退款"},
	"outcome.resend":     {"resend", "补发"},
	"outcome.compensate": {"compensate", "补偿"},
	"outcome.gift":       {"gift", "赠品/优惠券"},
	"outcome.explained":  {"explained", "已解释"},
	"outcome.no_action":  {"no action", "无需处理"},

	// Errors and hints.
	"err.noshop":    {"There is no shop %q. Shops: %s.", "没有店铺 %q。现有店铺：%s。"},
	"err.whichshop": {"Which shop? Say %s SHOP (shops: %s).", "请指定店铺：%s 店铺ID（现有：%s）。"},
	"err.noreview":  {"There is no review %q. Review IDs look like R1234: see /dsr reviews.", "没有评价 %q。评价编号形如 R1234：见 /dsr reviews。"},
	"err.internal":  {"Something went wrong on our side; it is logged. Please try again in a minute.", "系统出错了，已记录。请稍后再试。"},
	"err.unknown":   {"I don't know %q. Try /dsr help.", "不认识命令 %q。试试 /dsr help。"},
	"err.usage":     {"Usage: %s", "用法：%s"},
	"err.outcome":   {"%q is not an outcome. Use one of: refund, resend, compensate, gift, explained, no_action (退款 补发 补偿 赠品 已解释 无需处理).", "%q 不是处理结果。可用：退款 补发 补偿 赠品 已解释 无需处理（refund resend compensate gift explained no_action）。"},
	"shell.hint":    {"Commands start with /dsr or @dsrbot: try /dsr help (Ctrl-D leaves).", "命令以 /dsr 或 @dsrbot 开头：试试 /dsr help（Ctrl-D 退出）。"},

	// What a person reads when the store refuses and the handler has no
	// sentence of its own (explain's codeKeys): storage's own words are
	// English and for the log.
	"err.notfound":     {"That is no longer there; it may have just been removed. Look again, then retry.", "找不到了，可能刚被删除。请重新查看后再试。"},
	"err.conflict":     {"That changed while you asked, so nothing was done. Look again, then retry.", "操作期间内容已被改动，本次未做修改。请重新查看后再试。"},
	"err.invalid":      {"That cannot be saved as it is, so nothing was changed. See /dsr help for the right form.", "无法按此保存，未做修改。正确写法见 /dsr help。"},
	"err.unauthorized": {"This Slack workspace may not see or change that shop.", "本 Slack 工作区无权查看或修改该店铺。"},

	"digest.title":    {"Morning digest · %s (%s) · %s", "每日简报 · %s（%s）· %s"},
	"digest.late":     {"Late: this digest was due at %s; the bot was away and posts it now.", "迟到：本简报原定 %s 发送，机器人刚恢复，现在补发。"},
	"digest.allclear": {"All clear: no new bad reviews, no overdue follow-ups, nothing late or at risk.", "一切正常：没有新差评、没有逾期跟进、没有超时或即将超时的订单。"},
	"digest.nonew":    {"No new bad reviews since the last digest.", "上次简报以来没有新差评。"},
	"digest.new":      {"%d new since the last digest:", "上次简报以来新增 %d 条："},
	"digest.overdue":  {"%d follow-ups overdue (open more than %d h):", "%d 条跟进已逾期（超过 %d 小时未完成）："},
	"digest.week":     {"Week: %s %s → %s", "近7天：%s %s → %s"},

	"schedule.ok":      {"Digests of %s now follow %q (%s); the next is at %s.", "%s 的简报时间已改为 %q（%s），下一次：%s。"},
	"schedule.unbound": {"Run /dsr schedule in a shop's channel (bind one first with /dsr bind SHOP).", "请在店铺频道中运行 /dsr schedule（先用 /dsr bind 店铺ID 绑定）。"},
	"help.schedule":    {"/dsr schedule 0 9 * * *: when this channel's shop gets its morning digest (cron, shop's zone)", "/dsr schedule 0 9 * * *：本频道店铺的每日简报时间（cron，店铺时区）"},

	"ship.title":            {"Shipping warnings · %s (%s)", "发货预警 · %s（%s）"},
	"ship.late.heading":     {"Late now", "已超时"},
	"ship.atrisk.heading":   {"At risk: due within %d h, not shipped", "即将超时：%d 小时内到期且未发货"},
	"ship.resolved.heading": {"Shipped since the warning", "预警后已发货"},
	"ship.late":             {"%d × %s late", "%d 单 %s 已超时"},
	"ship.atrisk":           {"%d × %s at risk", "%d 单 %s 即将超时"},
	"ship.group":            {"(first %s): %s", "（最早%s）：%s"},
	"stake.owed":            {"¥%s owed", "已需赔付 ¥%s"},
	"stake.next":            {"¥%s if still unshipped at %s", "若 %[2]s 仍未发货需赔付 ¥%[1]s"},
	"stake.next.group":      {"up to ¥%s from %s if still unshipped", "若仍未发货，自 %[2]s 起最多赔付 ¥%[1]s"},
	"promise.same_day":      {"same-day", "当日发货"},
	"promise.next_day":      {"next-day", "次日发货"},
	"promise.48h":           {"48h", "48小时发货"},
	"promise.custom":        {"set time", "指定时间发货"},
	"promise.presale":       {"presale", "预售"},
	"ship.noproduct":        {"(no product name)", "（无商品名）"},
	"ship.footer":           {"All open orders: /dsr late %s", "全部未发货订单：/dsr late %s"},

	"err.team":            {"Shop %s belongs to another Slack workspace; only its own team can change it.", "店铺 %s 属于另一个 Slack 工作区，只有该团队可以修改。"},
	"err.noteam":          {"This request did not say which Slack workspace it came from, so it can neither see nor change any shop.", "该请求未注明来自哪个 Slack 工作区，因此不能查看或修改任何店铺。"},
	"err.unclaimed":       {"Shop %[1]s belongs to no Slack workspace yet, so it cannot be used or changed from Slack. To claim it for this workspace, an admin runs on the bot's machine: dsrbot shop set %[1]s --team %[2]s", "店铺 %[1]s 尚未归属任何 Slack 工作区，暂不能在 Slack 中查看或修改。如要归属本工作区，请管理员在机器人所在的服务器上运行：dsrbot shop set %[1]s --team %[2]s"},
	"err.noshop.team":     {"There is no shop %[1]q in this Slack workspace, which has none yet. An admin gives it one on the bot's machine: dsrbot shop set SHOP --team %[2]s", "本 Slack 工作区没有店铺 %[1]q，目前也没有任何店铺。请管理员在机器人所在的服务器上运行：dsrbot shop set 店铺ID --team %[2]s"},
	"bind.taken":          {"This channel gets the digests of a shop this Slack workspace does not own, so it cannot be bound here.", "本频道正在接收一个不属于本 Slack 工作区的店铺的日报，不能在此绑定。"},
	"err.whichreview":     {"%s is in %s: say %s.", "%s 在多个店铺中都有（%s）：请写 %s。"},
	"err.shopmany":        {"%q could be %s. Name it by its ID.", "%q 对应多个店铺：%s。请用店铺ID指定。"},
	"shop.named":          {"%s (%s)", "%s（%s）"},
	"list.or":             {" or ", " 或 "},
	"assign.taken":        {"%s → %s: follow-up assigned; it was %s's.", "%s → %s：已分配跟进，原由 %s 跟进。"},
	"claim.taken":         {"%s was %s's; now yours.", "%s 原由 %s 跟进，现在由你跟进。"},
	"handover.title":      {"Follow-up handed over: %s", "差评跟进已转交：%s"},
	"handover.claimed":    {"%[1]s took over %[2]s (%[3]s · %[4]s) from you; it is theirs to follow up now.", "%[1]s 接手了你负责的 %[2]s（%[3]s · %[4]s），之后由其跟进。"},
	"handover.assigned":   {"%[1]s gave %[2]s (%[3]s · %[4]s), which you followed up, to %[5]s.", "%[1]s 把你负责的 %[2]s（%[3]s · %[4]s）改由 %[5]s 跟进。"},
	"assign.closed":       {"%s is closed; reopen it first: /dsr reopen %s", "%s 已完成；请先重开：/dsr reopen %s"},
	"reopen.ok":           {"%s is open again.", "%s 已重新打开。"},
	"reopen.open":         {"%s is already open; nothing changed.", "%s 本来就是打开的，未做改动。"},
	"status.title":        {"%s · %s", "%s · %s"},
	"status.history":      {"History", "记录"},
	"status.nohistory":    {"No changes yet.", "暂无改动。"},
	"history.note":        {": %s", "：%s"},
	"history.closed":      {": %s: %s", "：%s，备注：%s"},
	"event.assigned":      {"assigned", "分配"},
	"event.auto-assigned": {"assigned by rule", "自动分配"},
	"event.closed":        {"closed", "关闭"},
	"event.reopened":      {"reopened", "重开"},
	"followup.due":        {"Follow-up due in %s.", "跟进将在 %s 后到期。"},
	"followup.overdue":    {"Follow-up overdue by %s.", "跟进已逾期 %s。"},
	"owner.unbound":       {"Run /dsr owner in a shop's channel (bind one first with /dsr bind SHOP).", "请在店铺频道中运行 /dsr owner（先用 /dsr bind 店铺ID 绑定）。"},
	"owner.title":         {"Who follows up bad reviews · %s (%s)", "差评跟进负责人 · %s（%s）"},
	"owner.none":          {"No rules yet: new bad reviews stay unassigned.", "尚未设置：新差评将保持未分配。"},
	"owner.footer":        {"Set: /dsr owner size @alice · rota for the rest: /dsr owner default @a @b · remove: /dsr owner size", "设置：/dsr owner 尺码 @alice · 其余轮流：/dsr owner 默认 @a @b · 删除：/dsr owner 尺码"},
	"owner.default":       {"everything else (rota)", "其余（轮流）"},
	"help.claim":          {"/dsr claim R123, /dsr reopen R123, /dsr status R123 (认领 / 重开 / 状态)", "/dsr claim R123 认领、/dsr reopen R123 重开、/dsr status R123 状态"},
	"help.owner":          {"/dsr owner logistics @bo: route a shop's bad reviews of an aspect (and shipping warnings) to a person; /dsr owner default @a @b for a rota", "/dsr owner 物流 @bo：把某类差评（及发货预警）分给某人；/dsr owner 默认 @a @b 轮流分配"},

	"remind.title":         {"Reminder: %s is overdue", "提醒：%s 跟进已逾期"},
	"remind.intro":         {"A bad review of %s (%s) that you follow up:", "您负责跟进的 %s（%s）差评："},
	"remind.footer":        {"Close it: /dsr done %s refund|resend|compensate|gift|explained|no_action [note]", "完成：/dsr done %s 退款|补发|补偿|赠品|已解释|无需处理 [备注]"},
	"followups.title":      {"Follow-ups need a hand · %s (%s)", "差评跟进需要协助 · %s（%s）"},
	"followups.escalate":   {"%d open more than %d h", "%d 条超过 %d 小时未完成"},
	"followups.unassigned": {"%d with no owner", "%d 条无人负责"},
	"followups.footer":     {"Take one: /dsr claim R123 · route them: /dsr owner ASPECT @user", "认领：/dsr claim R123 · 设置负责人：/dsr owner 类别 @user"},
	"cluster.title":        {"Pattern of bad reviews · %s (%s)", "差评集中出现 · %s（%s）"},
	"cluster.heading":      {"%d bad reviews of %s about %s within %d h", "%[2]s 在 %[4]d 小时内出现 %[1]d 条「%[3]s」差评"},
	// A cluster's advice names the fix its aspect calls for: a size cluster
	// is mended on the size chart, a logistics one with the carrier.
	"cluster.advice.size":        {"Check the size chart and the detail page's size guidance today (runs small? say which size to order), and offer these buyers an exchange.", "请今天核对尺码表和详情页的尺码建议（偏小就写明拍大一码），并为这几位买家办理换码。"},
	"cluster.advice.material":    {"Check this batch's material with the supplier today, and hold the stock until it is cleared.", "请今天和供应商核对这批货的面料材质，核实前先暂停发这批库存。"},
	"cluster.advice.style":       {"Compare the listing's photos and colours with the goods in hand today; retake the photos or note the colour difference.", "请今天拿实物对比商品图片和颜色，必要时重拍或注明色差。"},
	"cluster.advice.quality":     {"Check this batch with the supplier today and hold the stock until it passes; pausing ads on it may save the score.", "请今天和供应商核查这批货，合格前先暂停发货；暂停该商品的推广可以保住评分。"},
	"cluster.advice.packaging":   {"Check how this product is packed with the warehouse today: the box, the padding, the seal.", "请今天和仓库检查这个商品的打包方式和包装材料：纸箱、填充物、封口。"},
	"cluster.advice.logistics":   {"Check the carrier and the warehouse for these orders today: tracking, missing items, wrong picks; change carriers if one keeps failing.", "请今天检查这些订单的快递和仓库：物流轨迹、少件、错发；同一家快递反复出问题就换一家。"},
	"cluster.advice.service":     {"Check customer-service response times and the after-sales queue today, and answer these buyers first.", "请今天检查客服响应时长和售后待处理队列，优先回复这几位买家。"},
	"cluster.advice.description": {"Check the detail page and the livestream's claims against the goods today, and correct what does not hold.", "请今天对照实物检查详情页和直播间的说法，不符之处及时修改。"},
	"cluster.advice.other":       {"Read these reviews today: they name no single cause.", "请今天逐条阅读这些差评：它们没有指向单一原因。"},
	"stats.none":                 {"No follow-ups closed in the last 7 days.", "近7天没有完成的跟进。"},
	"stats.part":                 {"%d %s", "%[2]s %[1]d 条"},
	"stats.line":                 {"%d follow-ups closed in 7 days: %s; median %s to close.", "近7天完成跟进 %d 条：%s；中位处理时长 %s。"},
	"ship.owner":                 {"Warehouse: ", "仓库负责人："},

	"ack":            {"Working on it… the answer follows in a moment.", "正在处理……稍后回复。"},
	"action.claim":   {"Claim", "认领"},
	"action.resolve": {"Resolve…", "处理结果…"},

	"help.title":    {"dsrbot: scores, bad reviews and late orders", "dsrbot：评分、差评与发货预警"},
	"help.look":     {"Look", "查看"},
	"help.follow":   {"Follow up bad reviews", "跟进差评"},
	"help.setup":    {"Set up", "设置"},
	"help.today":    {"/dsr today [SHOP]: the score card; outside a shop's channel, one line per shop, most at risk first", "/dsr today [店铺ID]：评分卡；不在店铺频道时每个店铺一行，风险最高的在前"},
	"help.reviews":  {"/dsr reviews [open|mine|all] [SHOP]: bad reviews, newest first", "/dsr reviews [open|mine|all] [店铺ID]：差评列表，最新在前"},
	"help.late":     {"/dsr late [SHOP]: orders late now and at risk of shipping late", "/dsr late [店铺ID]：已超时和即将超时的订单"},
	"help.assign":   {"/dsr assign R123 @alice, or @dsrbot assign R123 to @alice (分配 R123 给 @alice)", "/dsr assign R123 @alice，或 @dsrbot 分配 R123 给 @alice"},
	"help.done":     {"/dsr done R123 refund [note], or @dsrbot done R123 refund called back (完成 R123 退款)", "/dsr done R123 退款 [备注]，或 @dsrbot 完成 R123 退款"},
	"help.mine":     {"@dsrbot mine (我的): your open follow-ups", "@dsrbot 我的：我的待处理差评"},
	"help.outcomes": {"Outcomes: refund 退款, resend 补发, compensate 补偿, gift 赠品/优惠券, explained 已解释, no_action 无需处理", "处理结果：退款、补发、补偿、赠品/优惠券、已解释、无需处理"},
	"help.settings": {"/dsr settings [SHOP]: a shop's weights, gates, warning window, follow-up deadline, digest schedule, language and owners", "/dsr settings [店铺ID]（设置）：店铺的权重、分线、预警时长、跟进时限、简报时间、语言和负责人"},
	"help.bind":     {"/dsr bind SHOP: this channel gets the shop's digests and warnings", "/dsr bind 店铺ID：本频道接收该店铺的日报和预警"},
	"help.footer":   {"Keywords work in English and Chinese: today 今天, reviews 差评, late 超时, why 原因, products 商品, recover 恢复, chart 趋势, settings 设置, help 帮助.", "中英文关键字都可以：today 今天、reviews 差评、late 超时、why 原因、products 商品、recover 恢复、chart 趋势、settings 设置、help 帮助。"},

	// The right form of each command, shown with err.usage. The English
	// side is the grammar's own usage line (TestUsageInCatalog holds them
	// equal, so a changed form cannot leave its Chinese behind); the
	// Chinese side names the placeholders in Chinese.
	"usage.today":    {"/dsr today [SHOP]", "/dsr today [店铺ID]（今天）"},
	"usage.reviews":  {"/dsr reviews [open|mine|all] [SHOP]", "/dsr reviews [open|mine|all] [店铺ID]（差评 [未处理|我的|全部]）"},
	"usage.late":     {"/dsr late [SHOP]", "/dsr late [店铺ID]（超时）"},
	"usage.help":     {"/dsr help", "/dsr help（帮助）"},
	"usage.assign":   {"/dsr assign REVIEW @user [SHOP]  ·  @dsrbot assign R123 to @alice  ·  @dsrbot 分配 R123 给 @alice", "/dsr assign 评价编号 @用户 [店铺]  ·  @dsrbot 分配 R123 给 @alice"},
	"usage.done":     {"/dsr done REVIEW OUTCOME [note]  ·  @dsrbot done R123 refund called back  ·  @dsrbot 完成 R123 退款", "/dsr done 评价编号 处理结果 [备注]  ·  @dsrbot 完成 R123 退款 已回电"},
	"usage.mine":     {"/dsr reviews mine  ·  @dsrbot mine  ·  @dsrbot 我的", "/dsr reviews mine  ·  @dsrbot 我的"},
	"usage.bind":     {"/dsr bind SHOP", "/dsr bind 店铺ID（绑定）"},
	"usage.schedule": {"/dsr schedule CRON  (5 fields in the shop's zone, such as: /dsr schedule 0 9 * * *)", "/dsr schedule CRON（5 个字段，店铺时区，例如：/dsr schedule 0 9 * * *）"},
	"usage.claim":    {"/dsr claim REVIEW [SHOP]  ·  @dsrbot claim R123  ·  @dsrbot 认领 R123", "/dsr claim 评价编号 [店铺]  ·  @dsrbot 认领 R123"},
	"usage.reopen":   {"/dsr reopen REVIEW [note]  ·  @dsrbot 重开 R123", "/dsr reopen 评价编号 [备注]  ·  @dsrbot 重开 R123"},
	"usage.status":   {"/dsr status REVIEW [SHOP]  ·  @dsrbot 状态 R123", "/dsr status 评价编号 [店铺]  ·  @dsrbot 状态 R123"},
	"usage.owner":    {"/dsr owner ASPECT @user [SHOP]  ·  /dsr owner default @a @b  ·  /dsr owner [SHOP] (list); aspects: size material style quality packaging logistics service description", "/dsr owner 类别 @用户 [店铺ID]  ·  /dsr owner 默认 @a @b  ·  /dsr owner [店铺ID]（查看）；类别：尺码 材质 款式 质量 包装 物流 客服 描述"},
	"usage.settings": {"/dsr settings [SHOP]", "/dsr settings [店铺ID]（设置）"},

	// Settings.
	"settings.title":      {"Settings · %s (%s)", "设置 · %s（%s）"},
	"settings.score":      {"Score", "评分"},
	"settings.platform":   {"Platform: %s", "平台：%s"},
	"settings.weights":    {"Weights: %s", "权重：%s"},
	"settings.weight":     {"%s %d%%", "%s %d%%"},
	"settings.gates":      {"Gates: %s", "分线：%s"},
	"settings.default":    {" (default)", "（默认）"},
	"settings.taobao":     {"Weights and gates: none; Taobao's DSR is three ratings, each shown as it is.", "权重与分线：无；淘宝 DSR 是三项评分，各自展示。"},
	"settings.followups":  {"Follow-ups and warnings", "跟进与预警"},
	"settings.deadline":   {"Follow-up deadline: %d h after a bad review arrives or is reopened", "跟进时限：差评到达或重开后 %d 小时"},
	"settings.warn":       {"Shipping warning: %d h before an order's ship-by time", "发货预警：应发时间前 %d 小时"},
	"settings.owners":     {"Who follows up bad reviews", "差评跟进负责人"},
	"settings.where":      {"Digest, language and place", "简报、语言与归属"},
	"settings.digest":     {"Morning digest: %s (%s); next at %s", "每日简报：%s（%s）；下一次：%s"},
	"settings.digest.bad": {"Morning digest: %s, which is not a schedule dsrbot can run; set one with /dsr schedule CRON", "每日简报：%s，不是有效的时间表；请用 /dsr schedule CRON 重新设置"},
	"settings.lang":       {"Language: %s", "语言：%s"},
	"settings.tz":         {"Time zone: %s", "时区：%s"},
	"settings.channel":    {"Channel: %s", "频道：%s"},
	"settings.unbound":    {"Channel: none; run /dsr bind %s in the shop's channel", "频道：未绑定；请在店铺频道中运行 /dsr bind %s"},
	"settings.team":       {"Slack workspace: %s", "Slack 工作区：%s"},
	"settings.noteam":     {"Slack workspace: none yet; an admin gives it one on the bot's machine: dsrbot shop set %s --team T…", "Slack 工作区：暂无；请管理员在机器人所在的服务器上运行：dsrbot shop set %s --team T…"},
	"settings.footer":     {"Change on the bot's machine: %s · in chat: /dsr schedule, /dsr owner, /dsr bind", "修改（在机器人所在的服务器上）：%s · 聊天中：/dsr schedule、/dsr owner、/dsr bind"},
	"lang.en":             {"English (en)", "英文（en）"},
	"lang.zh":             {"Chinese (zh)", "中文（zh）"},
	// /dsr products (商品): the products that drag the score.
	"help.products":             {"/dsr products [SHOP]: the products that drag the score, the worst first, with the step that fixes each", "/dsr products [店铺ID]（商品）：拖累评分的商品，最严重的在前，并附改进建议"},
	"usage.products":            {"/dsr products [SHOP]", "/dsr products [店铺ID]（商品）"},
	"products.title":            {"Products dragging the score · %s (%s)", "拖分商品 · %s（%s）"},
	"products.shop":             {"Last %d days to %s: the shop's bad rate %s (bad reviews %d/%d) · late rate %s (late orders %d/%d)", "近 %d 天（截至 %s）：店铺差评率 %s（差评 %d/%d）· 超时率 %s（超时 %d/%d 单）"},
	"products.empty":            {"No orders or reviews in the last %d days: nothing to rank.", "近 %d 天没有订单或评价，无可排名的商品。"},
	"products.none":             {"No product drags the score: each of the %d products with orders or reviews in the window has no more bad reviews and late orders than the shop's average gives it.", "没有商品拖累评分：窗口内有订单或评价的 %d 个商品，差评与超时都不高于店铺平均水平。"},
	"products.dragging":         {"%d products drag the score, the most first", "%d 个商品拖累评分，按拖分从高到低"},
	"products.dragging.one":     {"1 product drags the score", "1 个商品拖累评分"},
	"products.rest":             {"Products with orders or reviews in the window that do not drag the score: %d.", "窗口内另有 %d 个商品未拖累评分。"},
	"products.drag":             {"drag %+.1f", "拖分 %+.1f"},
	"products.orders":           {"orders %d", "订单 %d"},
	"products.bad":              {"bad reviews %d/%d (%s; the shop %s)", "差评 %d/%d（%s；店铺 %s）"},
	"products.bad.short":        {"bad reviews %d (%s)", "差评 %d（%s）"},
	"products.late":             {"late %d, at risk %d", "超时 %d、即将超时 %d"},
	"products.late.short":       {"late %d", "超时 %d"},
	"products.presale":          {"presale late %d", "预售延迟 %d"},
	"products.aspect":           {"%s %d", "%s %d"},
	"products.step":             {"next: %s", "建议：%s"},
	"products.step.size":        {"fix the size chart on the detail page", "完善详情页尺码表"},
	"products.step.quality":     {"take the quality up with the supplier", "找供应商解决质量问题"},
	"products.step.description": {"make the detail page (photos, description) match the goods", "修改详情页图片与描述，做到货实相符"},
	"products.step.logistics":   {"take the delays up with the carrier or warehouse", "与快递或仓库沟通发货与配送时效"},
	"products.step.presale":     {"stop the presale, or re-date it to a ship date you can keep", "停止预售，或改为能按时发货的预售时间"},
	"products.step.service":     {"go over the service team's replies", "检查客服的回复与话术"},
	"products.step.other":       {"read its bad reviews for the cause", "查看差评找出原因"},
	"products.footer":           {"Drag: the product's bad reviews and late orders beyond what the shop's average rates would give it.", "拖分：该商品的差评数和超时单数超出店铺平均水平的部分。"},
	"products.all.title":        {"Products dragging the score · all shops · %s", "拖分商品 · 全部店铺 · %s"},
	"products.all.sum":          {"Products dragging their shop's score: %d, in %d shops, the most first", "%[2]d 家店铺中有 %[1]d 个商品拖累评分，按拖分从高到低"},
	"products.all.none":         {"No product drags its shop's score in any of the %d shops.", "%d 家店铺中没有拖累评分的商品。"},
	"products.all.footer":       {"Each shop over its platform's window (Douyin 30 days, Taobao 180) · details: /dsr products SHOP", "各店铺按平台窗口统计（抖音 30 天，淘宝 180 天）· 详情：/dsr products 店铺ID"},

	// /dsr recover (恢复): the way back above the line.
	"usage.recover":           {"/dsr recover [SHOP] [--target X]", "/dsr recover [店铺ID] [--target 目标分]（恢复）"},
	"help.recover":            {"/dsr recover [SHOP] [--target X]: the way back above the line: when bad reviews and late orders leave the 30-day window (Douyin), the 5★ ratings each DSR needs (Taobao)", "/dsr recover [店铺ID] [--target 目标分]（恢复）：回到分线之上的路径：抖音看差评和超时订单何时离开30天窗口，淘宝看各项 DSR 还需要多少个 5★ 评价"},
	"recover.title":           {"The way back · %s (%s) · %s", "恢复 · %s（%s）· %s"},
	"recover.score":           {"Score and gates", "评分与分线"},
	"recover.noscore":         {"No score imported yet, so no distance to the gates. Import one with: dsrbot import scores FILE", "尚未导入评分，无法计算与分线的差距。导入：dsrbot import scores FILE"},
	"recover.overall":         {"商家体验分 %s: %s", "商家体验分 %s：%s"},
	"recover.above":           {"above every gate (%s)", "高于所有分线（%s）"},
	"recover.target.below":    {"%s below the target %s", "低于目标 %[2]s %[1]s"},
	"recover.target.met":      {"at or above the target %s", "已达到目标 %s"},
	"recover.growth":          {"Growth stage: the platform scores the shop flat; what leaves the window counts once it is formal.", "成长期：平台统一打分；以下记录在转为正式期后才影响评分。"},
	"recover.soon":            {"By %s (the next %d days), %s leave the 30-day window.", "%s 前（未来 %d 天），%s将离开30天窗口。"},
	"recover.soon.one":        {"By %s (the next %d days), %s leaves the 30-day window.", "%s 前（未来 %d 天），%s将离开30天窗口。"},
	"recover.soon.none":       {"Nothing leaves the 30-day window in the next %d days (by %s).", "未来 %d 天内（%s 前）没有差评或超时订单离开30天窗口。"},
	"recover.newbad":          {"A new bad review or late order today weighs on the score until %s.", "今天新增的差评或超时订单将一直影响评分，直到 %s。"},
	"recover.n.bad":           {"%d bad reviews", "%d 条差评"},
	"recover.n.bad.one":       {"%d bad review", "%d 条差评"},
	"recover.n.late":          {"%d late orders", "%d 单超时发货"},
	"recover.n.late.one":      {"%d late order", "%d 单超时发货"},
	"recover.and":             {" and ", "、"},
	"recover.exits":           {"Leaving the 30-day window, soonest first", "离开30天窗口的时间（最早在前）"},
	"recover.exit":            {"%s of %s leave the window by %s", "%[2]s 的 %[1]s将于 %[3]s 前离开窗口"},
	"recover.exit.one":        {"%s of %s leaves the window by %s", "%[2]s 的 %[1]s将于 %[3]s 前离开窗口"},
	"recover.exits.none":      {"No bad reviews or late orders in the last 30 days: nothing weighs on the score.", "近30天没有差评或超时订单：没有拖累评分的记录。"},
	"recover.noproduct":       {"(no product)", "（未知商品）"},
	"recover.products":        {"Where a fix counts most (bad reviews and late orders in the window)", "最值得先改的商品（窗口内的差评与超时订单）"},
	"recover.product":         {"%s: %s", "%s：%s"},
	"recover.mostly":          {" (mostly %s)", "（主要是%s）"},
	"recover.footer.douyin":   {"Douyin weighs a bad review from when it is written and a late order from its ship-by time, for 30 days. \"Soon\" is the next %d days: dsrbot holds no campaign deadlines. The card: /dsr today %s", "抖音的差评从评价时起、超时订单从应发时间起计入30天。“近期”指未来 %d 天：dsrbot 没有活动报名截止日期的数据。评分卡：/dsr today %s"},
	"recover.dsr":             {"5★ ratings to bring each DSR back to its target", "各项 DSR 回到目标所需的 5★ 评价"},
	"recover.dsr.count":       {"%s: %s now, target %s%s: %d 5★ ratings · %s", "%s：当前 %s，目标 %s%s：需要 %d 个 5★ 评价 · %s"},
	"recover.dsr.met":         {"%s: %s now, target %s%s: already there", "%s：当前 %s，目标 %s%s：已达到"},
	"recover.dsr.unreachable": {"%s: %s now, target %s: out of reach; a mean of ratings reaches 5.00 only when every rating is 5★", "%s：当前 %s，目标 %s：无法达到；只有全部为 5★ 时平均分才是 5.00"},
	"recover.dsr.noratings":   {"%s: %s now, target %s%s: no count; dsrbot holds 0 ratings of the last 180 days", "%s：当前 %s，目标 %s%s：无法计算；dsrbot 没有近180天的评价"},
	"recover.dsr.short":       {"%s: %s now, target %s%s: no count; dsrbot holds %d ratings of the last 180 days, from %s on, and the mean covers all 180", "%s：当前 %s，目标 %s%s：无法计算；dsrbot 只有近180天中的 %d 条评价（从 %s 起），而平均分覆盖整整180天"},
	"recover.dsr.notarget":    {"%s: %s now; no target: no score on or before %s. Name one: /dsr recover %s --target 4.8", "%s：当前 %s；没有目标：%s 及之前没有评分。请指定：/dsr recover %s --target 4.8"},
	"recover.dsr.noscore":     {"%s: no score imported", "%s：尚未导入评分"},
	"recover.target.day":      {" (its value on %s)", "（%s 的值）"},
	"recover.target.asked":    {" (as asked)", "（指定）"},
	"recover.held":            {"Ratings dsrbot holds of the 180-day window (since %s): %d; the oldest it holds is from %s.", "dsrbot 持有180天窗口内（%s 起）的评价 %d 条；最早的一条来自 %s。"},
	"recover.held.none":       {"dsrbot holds no ratings of this shop: import reviews with: dsrbot import reviews FILE", "dsrbot 没有该店铺的评价：导入：dsrbot import reviews FILE"},
	"recover.footer.taobao":   {"Taobao's DSR is the mean of every rating of 180 days: dsrbot takes the current value as that mean and the ratings it holds as their count, so the count is as good as the imports. Target: the value 30 days before, or --target X. The card: /dsr today %s", "淘宝 DSR 是近180天所有评分的平均：dsrbot 以当前值为平均分、以持有的评价数为总数，结果取决于导入的完整程度。目标：30天前的值，或 --target X。评分卡：/dsr today %s"},
	"recover.all.title":       {"The way back · all shops · %s", "恢复 · 全部店铺 · %s"},
	"recover.all.summary":     {"%d of %d below a gate or target", "%[2]d 家中 %[1]d 家低于分线或目标"},
	"recover.all.soon":        {"%s leave the window by %s", "%[2]s 前离开窗口：%[1]s"},
	"recover.all.soon.one":    {"%s leaves the window by %s", "%[2]s 前离开窗口：%[1]s"},
	"recover.all.soon.none":   {"nothing leaves the window by %s", "%s 前没有记录离开窗口"},
	"recover.all.dsr":         {"%s %s → %s: %d 5★ ratings", "%s %s → %s：需要 %d 个 5★ 评价"},
	"recover.all.dsr.nok":     {"%s %s → %s: no count (%s)", "%s %s → %s：无法计算（%s）"},
	"recover.reason.short":    {"%d ratings held, from %s", "仅有 %d 条评价，从 %s 起"},
	"recover.reason.none":     {"no ratings held", "没有评价数据"},
	"recover.reason.out":      {"out of reach", "无法达到"},
	"recover.all.fine":        {"Not below a gate or target: %s", "未低于分线或目标：%s"},
	"recover.all.footer":      {"Details: /dsr recover SHOP", "详情：/dsr recover 店铺ID"},

	// /dsr chart (趋势): score trend charts.
	"help.chart":         {"/dsr chart [SHOP] [30d|90d]: the score's trend as a chart, against the gates, with the days bad reviews arrived; every shop's month outside a shop's channel", "/dsr chart [店铺ID] [30d|90d]（趋势）：评分走势图，含分线和差评到达的日子；不在店铺频道时为所有店铺的本月热力图"},
	"usage.chart":        {"/dsr chart [SHOP] [30d|90d]", "/dsr chart [店铺ID] [30d|90d]（趋势）"},
	"chart.title":        {"Trend · %s (%s) · last %d days", "趋势 · %s（%s）· 近 %d 天"},
	"chart.none":         {"No scores in the last %d days: nothing to draw.", "近 %d 天没有评分，无法绘图。"},
	"chart.line":         {"%s: %s, now %s", "%s：%s，最新 %s"},
	"chart.color.black":  {"Black", "黑线"},
	"chart.color.blue":   {"Blue", "蓝线"},
	"chart.color.green":  {"Green", "绿线"},
	"chart.color.purple": {"Purple", "紫线"},
	"chart.overall":      {"overall score", "综合体验分"},
	"chart.gates":        {"Dashed orange lines: %s", "橙色虚线：%s"},
	"chart.gate":         {"%s %s", "%s %s"},
	"chart.bad":          {"Red triangles: the days new bad reviews arrived, with their count (%d in all)", "红色三角：新差评到达的日子及条数（共 %d 条）"},
	"chart.nobad":        {"No new bad reviews in the period.", "期间没有新差评。"},
	"chart.alt":          {"Score trend of %s over the last %d days", "%s 近 %d 天评分走势"},
	"chart.heat.title":   {"All shops · last %d days", "所有店铺 · 近 %d 天"},
	"chart.heat.how":     {"A row per shop (by ID), a column per day: red under the 70 line, green over it, deepest 10 points away; grey has no score. Taobao rows compare the mean DSR with 4.8, a tenth of a star as 5 points.", "每行一个店铺（按店铺ID），每列一天：低于 70 分线为红，高于为绿，相差 10 分时颜色最深；灰色为无评分。淘宝店铺以三项 DSR 均值对比 4.8，0.1 分计为 5 分。"},
	"chart.heat.under":   {"Under the line today: %s", "今天低于分线：%s"},
	"chart.heat.allover": {"No shop is under the line today.", "今天没有店铺低于分线。"},
	"chart.heat.alt":     {"Heat map of every shop's score over the last %d days", "所有店铺近 %d 天评分热力图"},
	"chart.digest.alt":   {"Score trend of the last 30 days", "近 30 天评分走势"},
	"chart.saved":        {"Chart written to %s", "图表已保存到 %s"},

	// App Home and modals
	"action.reassign":          {"Reassign…", "转交…"},
	"action.stale":             {"%s changed since this message was drawn; nothing was changed. The message now shows it as it is.", "%s 在此消息显示后已有变动，未做改动。消息已更新为当前状态。"},
	"err.outcome.none":         {"Pick an outcome.", "请选择处理结果。"},
	"inplace.closed":           {"Closed by %s: %s", "%s 已处理：%s"},
	"inplace.closed.note":      {"Closed by %s: %s · “%s”", "%s 已处理：%s ·“%s”"},
	"inplace.closed.anon":      {"Closed: %s", "已处理：%s"},
	"inplace.closed.anon.note": {"Closed: %s · “%s”", "已处理：%s ·“%s”"},
	"form.title":               {"Resolve %s", "处理 %s"},
	"form.submit":              {"Resolve", "提交"},
	"form.close":               {"Cancel", "取消"},
	"form.done":                {"Done", "关闭"},
	"form.outcome":             {"Outcome", "处理结果"},
	"form.outcome.pick":        {"Pick one", "请选择"},
	"form.amount":              {"Amount (¥)", "金额（元）"},
	"form.amount.placeholder":  {"such as 20 or 12.50", "例如 20 或 12.50"},
	"form.amount.hint":         {"Needed for compensation; it is recorded at the head of the note.", "选择“补偿”时必填；记在备注开头。"},
	"form.note":                {"Note", "备注"},
	"form.note.hint":           {"What was done; needed for “no action”, to say why.", "处理情况；选择“无需处理”时必填，请说明原因。"},
	"form.err.outcome":         {"Pick an outcome.", "请选择处理结果。"},
	"form.err.amount":          {"Give the amount in yuan, such as 20 or 12.50.", "请填写金额（元），例如 20 或 12.50。"},
	"form.err.note":            {"Say why no action is needed.", "请说明无需处理的原因。"},
	"follow.title":             {"Follow up", "跟进差评"},
	"follow.none":              {"This message names no bad review of your workspace's shops.", "此消息中没有本工作区店铺的差评编号。"},
	"home.title":               {"Your follow-ups and shops", "我的跟进与店铺"},
	"home.mine":                {"Your open follow-ups: %d, oldest first", "我的待处理：共 %d 条，最早在前"},
	"home.mine.none":           {"No open follow-up is yours.", "暂无由你跟进的待处理差评。"},
	"home.owned":               {"Shops where you own an aspect", "我负责的店铺"},
	"home.owned.none":          {"You own no aspect of any shop; in a shop's channel: /dsr owner ASPECT @you", "你暂未负责任何店铺的类别；在店铺频道中运行：/dsr owner 类别 @你"},
	"home.shops":               {"Shops", "店铺"},
	"home.footer":              {"Updated %s · /dsr help", "更新于 %s · /dsr help"},

	// /dsr why (原因): the cause of a move, down to the rows.
	"help.why":                         {"/dsr why [SHOP]: why the score fell, down to the reviews and orders behind it", "/dsr why [店铺ID]（原因）：评分为什么下降，具体到差评和订单"},
	"usage.why":                        {"/dsr why [SHOP]", "/dsr why [店铺ID]（原因）"},
	"why.title":                        {"Why it moved · %s (%s)", "原因 · %s（%s）"},
	"why.all.title":                    {"Why it moved · all shops · %s", "原因 · 全部店铺 · %s"},
	"why.nothing":                      {"Nothing fell: every dimension held or rose since the previous day and 7 days before.", "没有下降：各项较前一日和7日前持平或上升。"},
	"why.window":                       {"Evidence from the platform's window, the last %d days, newest first.", "依据平台统计周期（近 %d 天）的数据，最新在前。"},
	"why.indicator":                    {"Indicator that moved most: %s %s → %s", "变化最大的指标：%s %s → %s"},
	"why.unexplained":                  {"No reviews or orders in the window explain this; the platform may have changed an indicator we do not import.", "统计周期内没有差评或订单能解释这次下降；平台可能调整了我们未导入的指标。"},
	"why.products":                     {"%d bad reviews about the goods", "商品相关差评 %d 条"},
	"why.group":                        {"%s · %s · %d bad reviews: %s", "%s ·「%s」差评 %d 条：%s"},
	"why.late":                         {"%d orders late to ship", "发货超时 %d 单"},
	"why.late.shipped":                 {"%s · %s · shipped %s late · paid %s", "%s · %s · 晚发 %s · 支付于 %s"},
	"why.late.open":                    {"%s · %s · unshipped, %s past its ship-by time · paid %s", "%s · %s · 未发货，已超过应发时间 %s · 支付于 %s"},
	"why.pickup":                       {"Payment to pickup took %s h on average in the last %d days (%d orders), against %s h over the window (%d orders)", "近 %[2]d 天支付到揽收平均 %[1]s 小时（%[3]d 单），统计周期内平均 %[4]s 小时（%[5]d 单）"},
	"why.pickup.order":                 {"%s · %s · %s h from payment to pickup · paid %s", "%s · %s · 支付到揽收 %s 小时 · 支付于 %s"},
	"why.reviews.logistics":            {"%d bad reviews about delivery", "物流相关差评 %d 条"},
	"why.reviews.service":              {"%d bad reviews about service", "服务相关差评 %d 条"},
	"why.overdue":                      {"%d follow-ups overdue", "超时未跟进 %d 条"},
	"why.overdue.line":                 {"%s · %s · due %s", "%s · %s · 截止 %s"},
	"why.nooutcome":                    {"%d follow-ups closed without an outcome (no action)", "无结果关闭（无需处理）的跟进 %d 条"},
	"why.nooutcome.line":               {"%s · %s · closed %s", "%s · %s · 关闭于 %s"},
	"why.footer":                       {"The score card: /dsr today %s", "评分卡：/dsr today %s"},
	"why.all.line":                     {"%s %s: %s", "%s %s：%s"},
	"why.all.none":                     {"No shop's score fell since the previous day or 7 days before.", "各店铺较前一日和7日前均没有下降。"},
	"why.all.footer":                   {"One shop's causes, down to the rows: /dsr why SHOP", "单个店铺的具体原因：/dsr why 店铺ID"},
	"cause.none":                       {"nothing in the window explains it", "统计周期内没有可解释的差评或订单"},
	"cause.indicator":                  {"%s went from %s to %s", "%s 从 %s 变为 %s"},
	"cause.product":                    {"%d bad reviews of %s (%s)", "%[2]s「%[3]s」差评 %[1]d 条"},
	"cause.late":                       {"%d orders late to ship in %d days", "近 %[2]d 天发货超时 %[1]d 单"},
	"cause.slow_pickup":                {"payment to pickup took %s h in the last %d days against %s h on average", "近 %[2]d 天支付到揽收平均 %[1]s 小时，高于周期平均 %[3]s 小时"},
	"cause.reviews.logistics":          {"%d bad reviews about delivery in %d days", "近 %[2]d 天物流相关差评 %[1]d 条"},
	"cause.reviews.service":            {"%d bad reviews about service in %d days", "近 %[2]d 天服务相关差评 %[1]d 条"},
	"cause.overdue":                    {"%d follow-ups overdue", "超时未跟进的差评 %d 条"},
	"cause.no_outcome":                 {"%d follow-ups closed without an outcome in %d days", "近 %[2]d 天无结果关闭的跟进 %[1]d 条"},
	"card.mover.cause":                 {"%s moved most: %s vs previous day, %s of the overall: %s.", "变化最大的是%s：较前一日 %s，影响总分 %s，主要原因：%s。"},
	"card.mover.dsr.cause":             {"%s moved most: %s vs previous day: %s.", "变化最大的是%s：较前一日 %s，主要原因：%s。"},
	"indicator.product_rating":         {"商品综合评分 product rating", "商品综合评分"},
	"indicator.quality_return_rate":    {"品质退货率 quality return rate", "品质退货率"},
	"indicator.pickup_hours":           {"揽收时长 pickup time", "揽收时长"},
	"indicator.delivery_on_time_rate":  {"配送时效达成率 on-time delivery", "配送时效达成率"},
	"indicator.logistics_return_rate":  {"物流品退率 logistics return rate", "物流品退率"},
	"indicator.aftersale_review_hours": {"售后审核时长 after-sale review time", "售后审核时长"},
	"indicator.im_response_seconds":    {"飞鸽响应时长 chat response time", "飞鸽响应时长"},
	"indicator.dissatisfaction_rate":   {"不满意率 dissatisfaction rate", "不满意率"},
	"indicator.platform_help_rate":     {"平台求助率 platform help rate", "平台求助率"},
	"unit.hours":                       {"%s h", "%s 小时"},
	"unit.seconds":                     {"%s s", "%s 秒"},
	"unit.percent":                     {"%s%%", "%s%%"},
	"unit.rating":                      {"%s", "%s"},
}
