### Gongjue's messages in Simplified Chinese (zh-CN): every text a user reads, in Project
### Fluent syntax (https://projectfluent.org/fluent/guide/). Its twin is ../en/gongjue.ftl; a new
### language is a new folder beside these two with a file of the same name.
###
### A translator may change any text to the right of `=`; nothing else needs a programmer.
### - The id to the left of `=` is fixed: it is the stable code clients match on (`bad_token`),
###   with its dots written as hyphens (the code `web.pub.title` is the id `web-pub-title`).
### - `{ $unit }` is a value filled in by the program: keep it (move it anywhere in the sentence),
###   and keep the same variables as the other languages (a test compares them).
### - A text continues on the next line if that line is indented; a literal brace is written
###   {"{"} and {"}"}, and a space at the start or end of a text as {" "} (Fluent drops it
###   otherwise).
### - `{ $count -> [1] … *[other] … }` picks a variant by a number (see the Fluent guide).
### The file is built into the `gongjue` binary: rebuild after an edit, then run
### `cargo test -p gongjue-api --lib i18n`, which checks both files against each other and the code.

## Errors and refusals of the API. An error's JSON carries the id as its `code`.
unauthenticated = 请先登录。
bad_token = 登录已失效，请重新登录。
bad_credentials = 账号或密码不正确。
bad_code = 投票码不正确或已作废。
too_many_attempts = 尝试次数过多，请稍后再试。
forbidden = 您无权进行此操作。
other_estate = 您无权查看其他小区的数据。
staff_only = 仅限工作人员使用。
owners_only = 仅限业主本人使用投票码操作。
read_only_role = 您的角色只能查看，不能修改。
malformed_body = 请求内容格式不正确。
body_too_large = 请求内容过大。
unknown_field = 请求中有无法识别的字段。
invalid_value = 填写的内容有误。
no_route = 没有这个地址。
not_found = 找不到所请求的内容。
conflict = 当前状态下不能进行此操作。
unavailable = 服务暂时繁忙，请稍后重试。
internal = 服务器内部错误，已记录。
roster_invalid = 业主名册有错误，未导入任何数据。
notice_too_short = 公告至投票开始的时间少于规定天数。
notice_below_minimum = 有表决事项的会议，公告期不得短于本小区议事规则规定的天数。
trial_only = 只有试用小区可以使用以分钟计的期限。
# The marker of everything a trial estate produces: pages, notices, sheets, exports.
trial = 试用/TRIAL
# The banner of a trial estate's pages.
trial_banner = 试用/TRIAL：这是试用小区的演练，不是真实的业主大会表决，结果没有任何效力。
voting_not_open = 投票尚未开始。
voting_closed = 投票已经结束。
closing_early = 尚未到截止时间；如需提前结束，须注明理由。
receipt_outside_window = 纸质选票的收票时间不在投票期内。
same_person_confirms = 纸质选票须由录入人以外的另一人确认。
## issue 17: transfers of a unit's voting right (a second staff member confirms; the seller is told)
transfer_same_person = 表决权转移须由登记人以外的另一名工作人员确认。
seller_voted = 原业主已经投票，该房屋的表决权仍归原业主，转移不能生效。
transfer_merges_members = 新业主编号已是本次会议的另一位业主，转移后两人的房屋将合并为一人表决（人数少一）。如确是该业主购得此房，请注明 buyer_is_member；否则请核对编号。
deed_ref_unclear = 请填写不动产权证书或买卖合同的编号（至少 6 个字符，须含数字）。
transfer_not_pending = 该表决权转移已经确认，不需要再确认。
transfer_unit_moved = 该房屋的表决权已不在原业主名下（可能另一项转移已经生效）。
mail_transfer_pending = 您房屋的表决权转移已登记，待第二人确认
mail_transfer_confirmed = 您房屋的表决权已转给新业主
ballot_not_changeable = 本次会议不允许修改已投的票。
own_ballot_supersedes = 业主本人已投票，代理人不能再投。
confirmed_ballot = 已确认的纸质选票只能通过注明理由的更正来修改。

## issue 17: ballots (order of versions, corrections after closing).
paper_older_than_ballot = 这张纸质选票的收票时间早于该业主现有的选票（例如其后的网上投票）：以时间在后的选票为准，不能录入。
paper_ballot_superseded = 该业主在此之后又投了票，这张纸质选票已被取代，不能再确认。
correction_needs_objection = 投票截止后，只有针对该业主就本事项提出且尚未处理的异议，才能录入更正选票。
not_in_electorate = 您不在该事项的表决范围内。
no_proxy = 您没有代该业主表决此事项的委托。
items_only_in_draft = 会议公告后不能再增加表决事项。
result_before_closing = 投票结束后才能查看结果。
estate_needed = 您在多个小区有角色，请指定小区。
invalid_choice = 所选内容不符合该事项的表决方式。

## issue 17: voting codes (a code e-mailed to an owner is never shown to staff; a re-issue
## is confirmed by a second staff member; the owner sees what happened to their code).
code_already_issued = 该业主已领取过投票码。如需补发，须由一名工作人员申请、另一名工作人员确认。
no_code_to_reissue = 该业主还没有领取投票码，直接发放即可，无需补发。
reissue_pending = 该业主的投票码补发申请正在等待确认。
reissue_same_person = 补发投票码须由申请人以外的另一名工作人员确认。
reissue_confirmed = 该补发申请已经确认过了。
mail_code_reissued = 您的投票码已补发，原投票码作废
web-codes-title = 补发投票码
web-codes-help = 业主遗失投票码时：一名工作人员提出补发申请，另一名工作人员核实后确认。确认前原投票码照常有效；确认后原投票码作废。有电子邮箱的业主，新投票码只发到其邮箱，工作人员看不到；没有邮箱的业主，新投票码只向确认人显示一次，请当场打印交给业主。
web-codes-member = 业主编号或房号
web-codes-reason = 补发原因（会告知业主本人）
web-codes-request = 提出补发申请
web-codes-pending = 等待确认的补发申请
web-codes-none = 没有等待确认的补发申请。
web-codes-requested = 申请已提交。请另一名工作人员核实后确认；确认前原投票码照常有效。
web-codes-emailed = 已确认：新投票码已发送到业主的电子邮箱，原投票码已作废。
web-codes-asked_at = 申请时间
web-codes-print_now = 这是补发的投票码，原投票码已作废。投票码只显示这一次，请立即打印并交给业主本人。
web-sheet-emailed = 投票码已发送到您的电子邮箱（为保护您的投票，工作人员看不到它）。
web-sheets-none = 所有业主都已领取过投票码，没有新的表决票要生成。业主遗失投票码的，请申请补发。
web-code-history = 您的投票码记录
web-code-history_help = 如与您的实际情况不符（例如您没有申请补发，或没有收到纸质表决票），请立即联系业主委员会。
web-code-emailed = { $at } 发放投票码，发送到您的电子邮箱。
web-code-printed = { $at } 发放投票码，由工作人员打印在纸质表决票上（工作人员看到过这个投票码）。
web-code-issued = { $at } 发放投票码。
web-code-revoked = { $at } 一个投票码作废。
web-code-reissue_requested = { $at } 工作人员申请为您补发投票码。
web-code-reissued = { $at } 另一名工作人员确认补发。

## Setup mistakes refused when made, and bounds of numbers.
scope_unknown = 范围中有业主名册里没有的区域、楼栋或单元。
empty_electorate = 该事项范围内没有任何房屋，无人可以表决。
concurrent_without_groups = 分区（分楼栋）同时过半要求范围内每套房屋都登记了区域（楼栋）。
setup_cannot_count = 按此设置无法计票，请修改该项。
impossible_setup = 此设置无法实现（如应选人数多于候选人，或门槛永远无法达到）。
out_of_range = 数值超出允许的范围。

## Audit and export: the command line, the two-stage publication, the announcement (公告).
cli_no_keys = 该小区还没有签名密钥（首次导出时自动生成）。
cli_key_active = 使用中
cli_key_retired = 已停用
cli_key_rotated = 已生成新的签名密钥；旧公钥继续公布，旧的导出仍可验证：
cli_chain_intact = 审计日志哈希链完整
cli_chain_broken = 审计日志哈希链断裂
cli_ballots_match = 选票与审计日志一致
cli_ballot_mismatch = 选票与审计日志不一致
cli_entries = 条记录
cli_entry = 记录
cli_no_estate = 没有这个小区
not_closed_yet = 投票结束后才能进行公示。
objection_period_over = 异议期已结束，不能再提出异议。
objection_still_open = 您对该事项的异议尚在处理中；处理后才能再次提出。
objections_per_item_used_up = 您对该事项提出的异议已达上限（5 次）。
too_frequent = 提交过于频繁，请稍后再试。
objection_period_running = 异议期尚未结束，不能发布最终结果。
objections_unresolved = 仍有未处理的异议，不能发布最终结果。
already_final = 最终结果已发布，不能再更改。
objection_resolved = 该异议已处理。
correction_needs_ballot = 更正须附上更正后的选票内容。
ann_title = 表决结果公告
ann_preliminary = 初步结果（异议期内）
ann_final = 最终结果
ann_item = 表决事项
ann_outcome = 表决结果
ann_measure = 项目
ann_area = 专有部分面积（平方米）
ann_heads = 人数
ann_units = 户数
ann_share = 占比
ann_total = 总计
ann_participation = 参与表决
ann_unit = 房号
ann_owner = 业主
ann_choice = 表决意见
ann_channel = 方式
ann_receipt = 回执号
ann_no_ballot = 未投票
ann_roll_pseudonymous = 本次会议不公开逐户表决情况；业主可凭回执号核对自己的选票。
ann_objections_until = 异议截止时间
ann_yes = 同意
ann_no = 反对
ann_abstain = 弃权
ann_invalid = 废票
ann_passed = 通过
ann_rejected = 未通过
ann_no_quorum = 参与表决未达法定要求
ann_valid = 选举有效
ann_elected = 当选
ann_section = 部分
ann_figures = 统计
ann_roll = 逐户表决情况
ann_printed = 生成时间

## issue 17: keys and files
signing_key_unreadable = 服务器读不出本小区的签名密钥，暂时不能签名导出结果。请联系运维人员：服务须使用保存这些密钥时的密钥文件运行。
cli_key_unreadable = 小区 { $estate } 的签名密钥 { $kid } 无法用密钥文件 { $secret } 解开：数据库中的密钥是用另一个密钥文件加密的。未做任何改动。请用生成该数据库时的密钥文件启动（与备份一同恢复）。如果那个密钥文件已永久丢失，请停用这把签名密钥：gongjue keys rotate --estate { $estate } --replace-unreadable（它签过的导出仍可验证，公钥继续公布）。如果刚更换了密钥文件，请运行：gongjue keys rewrap --old-secret-file 旧密钥文件
cli_key_unreadable_retired = 小区 { $estate } 已停用的签名密钥 { $kid } 无法用此密钥文件解开；它已不再用于签名，公钥继续公布。
cli_keys_wrapped = 旧版本以明文保存的签名密钥已用密钥文件加密：{ $kids }
cli_keys_rewrapped = 已用新密钥文件重新加密签名密钥 { $n } 把（原已使用新文件：{ $already } 把）。此前做的备份需要旧密钥文件才能恢复：保留这些备份期间，请一并保留旧密钥文件。
cli_backup_plaintext_keys = 该数据库中有旧版本以明文保存的签名密钥，但用来加密它们的密钥文件不存在：{ $secret }。未复制任何内容。请指定 --secret-file（与 gongjue serve 所用相同），或先启动一次 gongjue serve。
cli_mode_narrowed = 已将 { $path } 的权限收紧为仅所有者可读写：{ $was } → { $now }

## Web pages: the owners' form and the staff pages.
web-abstain = 弃权
web-app_name = 共决 · 业主大会表决
web-area = 面积
web-assemblies = 业主大会会议
web-back = 上一项
web-back_to_sheet = 返回表决票
web-building = 楼栋
web-by_building = 按楼栋
web-by_zone = 按区域
web-change_choices = 查看或修改我的选择
web-change_until = 截止前可随时回来修改，截止时间：
web-channel_paper = 纸质票
web-channel_proxy = 委托代投
web-channel_web = 网上投票
web-closes_at = 投票截止：
web-code_help = 请输入公告或表决票上印的投票码（大小写、空格和短横线都可以）。
web-code_label = 投票码
web-consultation_rule = 本项为意见征询，不作表决，结果供业主委员会参考。
web-csrf = 页面已过期或来源不明，操作未执行。请返回重新打开页面后再试。
web-done_help = 您的选择已记录。
web-done_title = 投票成功
web-edit = 修改
web-enter_code = 输入投票码
web-error_title = 无法完成
web-for_member = 代业主 { $name }（编号 { $id }）表决 · 委托代投
web-for_yourself = 本人表决
## issue 17: the voting link asks before it signs in; the ballot pages name their units
web-link_title = 核对投票房屋
# $units: the unit numbers, with the owner's name masked as on the public roll
web-link_units = 此投票码用于以下房屋的表决：{ $units }
web-link_confirm = 是我的房屋，进入投票
web-link_not_mine = 如果这不是您的房屋，请不要继续，直接关闭本页。
# $units: the units the browser votes for now; $new: the units of the link's code
web-link_signed_in = 您已登录，正在为 { $units } 表决。继续将改为 { $new } 的表决。
web-link_stay = 不切换，继续为 { $units } 表决
web-link_check = 您打开了一个投票链接。请点下面的按钮，查看此投票码对应的房屋，确认后再进入投票。
web-link_show = 查看对应的房屋
web-voting_for = 本票表决的房屋：{ $units }
web-also_for = 受委托代为表决：{ $units }
web-heads = 人数
web-home = 返回首页
web-home_intro = 业主可用公告或表决票上的投票码在网上表决。
web-invalid = 废票
web-login = 账号
web-mark_up_to = 最多可选 { $n } 人；也可选择弃权。
web-next = 下一项
web-no = 反对
web-no_assemblies = 还没有会议。
web-no_choice = 未选择（本项不投票）
web-no_items = 没有您可以表决的事项。
web-not_open_yet = 投票开始后显示参与情况。
web-not_voted = 尚未投票
web-not_voted_yet = 尚未投票的业主
web-not_yet_counted = 待第二人确认后计入
web-nothing_chosen = 您还没有作出任何选择。请至少选择一项，或点“修改”返回。
web-password = 密码
web-pick_up_to = 最多可选 { $n } 项
web-quorum_line = 黑色竖线为法定参与比例；绿色表示已达到，红色表示尚未达到。
web-receipt = 回执号：
web-record_intro = 投票已结束。以下是为您记录在案的表决（网上或纸质）。
web-recorded = 已记录：
web-review_title = 请核对您的全部选择
web-rule_label = 通过条件：
web-sheet_changed = 表决事项已变动，请重新开始。
web-sign_in = 进入
web-sign_out = 退出
web-staff_sign_in = 工作人员登录
web-start_voting = 开始投票
web-state_announced = 已公告
web-state_cancelled = 已取消
web-state_closed = 已结束
web-state_draft = 草稿
web-state_open = 投票中
web-submit = 确认提交
web-submit_help = 提交后将显示回执号。
web-to_review = 核对全部选择
web-too_many_marks = 最多只能选 { $n } 人，请减少所选人数。
web-turnout = 参与情况
web-yes = 同意
web-your_choice = 您的选择：
web-unit_not_found = 该房号不在本次会议的表决范围内，请核对楼号-单元-室号。
web-paper_title = 录入纸质选票
web-paper_entered = { $unit } 的纸质选票已录入，待另一位工作人员确认后计入。
web-received_invalid = 收票时间格式不正确。
web-confirmed = 已确认，该票已计入。
web-confirm_queue = 待确认的纸质选票
web-unit = 房号（楼号-单元-室号）
web-search = 查找
web-received_at = 收票时间（北京时间）
web-scan_ref = 扫描件/原件存放编号
web-correction_reason = 更正理由（仅更正已确认的选票时填写）
web-enter_paper = 录入
web-confirm_help = 请对照纸质选票核对每一项，无误后点“确认”。录入人不能确认自己录入的选票。
web-confirm = 确认
web-queue_empty = 没有待确认的纸质选票。
web-roster_title = 业主名册
web-roster_now = 当前名册版本
web-units_word = 户
web-no_file = 请选择要导入的名册文件。
web-line = 行
web-column = 列
web-problem = 问题
web-imported = 名册已导入
web-added = 新增
web-removed = 删除
web-changed = 变更
web-note_word = 说明
web-roster_file = 名册文件（CSV 或 XLSX）
web-roster_help = 必填列：楼号、室号、面积、业主编号；可有区域、单元、楼层、姓名、电话、邮箱。有任何错误时不导入任何数据。
web-import = 导入
web-new_assembly = 新建业主大会会议
web-title = 标题
web-opens_at = 投票开始时间（北京时间）
web-closes_at_label = 投票截止时间（北京时间）
web-notice_days = 公告至投票开始的天数（议事规则规定）
web-objection_days = 结果公示（询异）天数
web-objection_minutes = 试用：公示期改以分钟计（填写后不计天数）
web-public_roll = 议事规则要求公开每户表决情况（姓名打码）
web-changeable = 截止前业主可修改已投的票
web-create = 创建
web-motion = 表决事项
web-election = 选举
web-consultation = 意见征询
web-zones = 区域
web-buildings = 楼栋
web-stairwells = 单元
web-whole_estate = 全体业主
web-seats = 应选人数
web-items = 表决事项
web-no_items_yet = 还没有表决事项。
web-add_item = 增加事项
web-kind = 类型
web-full_text = 全文（选举可在此写候选人介绍）
web-matter = 事项类别（民法典第二百七十八条），决定通过条件
web-candidates = 候选人（每行一位，仅选举）
web-questions = 问题（每行一个：问题：选项 / 选项，仅意见征询）
web-scope = 表决范围
web-announce_help = 公告后不能再增加事项；投票开始前须满足公告天数。
web-announce = 发布公告
web-open = 开始投票
web-close_reason = 提前结束的理由（截止前结束时必填）
web-close = 结束投票
web-passed = 通过
web-rejected = 未通过
web-no_quorum = 参与表决的面积或人数未达到法定比例，表决无效
web-elected = 当选：
web-tie = 票数相同、须另行决定：
web-unfilled = 空缺名额（另行选举）
web-consulted = 征询完成（不作决定）
web-results = 表决结果
web-announcement_link = 结果公告（业主姓名遮蔽）
web-participants = 参与表决的业主（姓名已遮蔽）
web-notice = 会议公告
web-announced_at = 公告日期
web-how_to_vote = 投票方式：凭表决票上的投票码在网上投票（扫描二维码或打开以下网址），或将填好的纸质表决票交到物业服务中心投票箱。网址：
web-agenda = 表决事项
web-ballot_sheets = 生成并打印表决票（每户一张，含投票码和二维码）
web-print_help = 请用浏览器的“打印”功能打印或存为 PDF（A4，每位业主一页）。投票码只显示这一次。
web-signature = 业主签名：
web-print = 打印公告和表决票
web-reissue_warning = 注意：只为还没有投票码的业主生成表决票。没有电子邮箱的业主，投票码印在表决票上，只显示这一次；每打印一个投票码都记入审计日志，并显示在业主本人的投票页上。有电子邮箱的业主，投票码只发到其邮箱，表决票上不显示。遗失投票码请申请补发。
web-whole_assembly = 全部事项
web-some_items = 部分事项
web-proxies = 委托投票
web-document_ref = 委托书编号
web-no_proxies = 还没有登记委托。
web-record_proxy = 登记委托
web-proxy_member = 委托人（业主编号）
web-proxy_holder = 受托人（业主编号，用本人投票码投票）
web-proxy_items = 委托的事项（不选即全部事项）
web-estate_id = 小区编号（您在多个小区任职）
web-live_help = 投票进行中，本页每分钟自动刷新。
web-outcome = 表决结果：

## Web pages: the publication of results.
web-pub-title = 结果公示与异议
web-pub-preliminary = 初步结果公示中。异议截止时间：
web-pub-final = 最终结果已发布：
web-pub-record_link = 查看结果公示：核对本人记录和回执，或提出异议
web-pub-your_record = 本人表决记录
web-pub-units = 房号：
web-pub-object = 提出异议
web-pub-object_help = 如果您认为以上记录有误（例如纸质选票录入错误），请选择事项并写明理由。秘书处理后会在本页给出答复。
web-pub-objection_item = 异议涉及的事项
web-pub-objection_text = 哪里记录有误？
web-pub-objection_filed = 异议已提交。
web-pub-your_objections = 我的异议
web-pub-status_open = 待处理
web-pub-status_rejected = 已驳回（记录无误）
web-pub-status_corrected = 已更正
web-pub-reason = 处理理由：
web-pub-roll_link = 公示名单：按房号查找您的回执
web-pub-roll_title = 公示名单
web-pub-roll_help = 在下面的名单中找到您的房号和回执号，即可确认您的选票已计入。
web-pub-your_unit = （您的房屋）
web-pub-objections = 异议
web-pub-no_objections = 没有异议。
web-pub-filed_at = 提出时间：
web-pub-reject = 驳回（记录无误）
web-pub-correct = 已更正（选择已确认的更正纸质选票）
web-pub-correction_ballot = 更正用的纸质选票
web-pub-no_correction_ballot = 还没有已确认的更正选票。如需更正，请先录入更正纸质选票，再由另一人确认。
web-pub-enter_correction = 录入更正纸质选票
web-pub-correction_for = 根据业主异议更正：
web-pub-resolve = 处理异议
web-pub-resolve_reason = 处理理由（业主可见，记入审计日志）
web-pub-resolved = 异议已处理。
web-pub-publish_final = 发布最终结果并签名导出
web-pub-cannot_publish = 现在还不能发布最终结果：
web-pub-published = 最终结果已发布，各事项的导出已签名。
web-pub-downloads = 签名导出（供审计复核）
web-pub-downloads_later = 最终结果发布后才能下载签名导出：异议仍可能更正初步结果。
web-pub-announcement_csv = 结果公告（CSV 表格）
web-pub-owner = 业主：

## Command line: backups.
cli_backup_done = 数据库已完整备份到
cli_backup_secret = 请将密钥文件（serve 的 --secret-file）与备份一同妥善保存：没有它，已发放的投票码将失效。
cli_backup_exists = 备份目标已存在，未覆盖：
cli_backup_postgres = PostgreSQL 数据库请用 pg_dump 备份（例如 pg_dump -Fc -f gongjue.dump 数据库地址），用 pg_restore 恢复。

## Notices by e-mail: subjects, words of the messages, refusals of the routes.
mail_announcement = 业主大会会议公告
mail_invitation = 投票邀请及您的投票码
mail_reminder = 投票提醒：您尚未完成投票
mail_result = 表决结果公告
mail_ballot_recorded = 已为您登记选票，请核对
mail_dear_owner = 业主
item_motion = 表决事项
item_election = 选举
item_consultation = 征询
outcome_passed = 通过
outcome_rejected = 未通过
outcome_no_quorum = 参与表决未达法定比例，不成立
outcome_elected = 当选
outcome_nobody_elected = 无人当选
outcome_counted = 已统计
channel_paper = 纸质选票
channel_proxy = 委托代理人代为投票

## issue 17: ballots (a web ballot's notice).
channel_web = 网上投票（使用您的投票码）
reminders_only_while_open = 只有在投票期间才能发送投票提醒。

## Web pages: notices by e-mail.
web-mail-notices = 通知（电子邮件和短信）
web-mail-outbox = 发件箱
web-mail-remind = 向尚未投票的业主发送投票提醒
web-mail-remind_help = 每天（北京时间）只发一轮：同一天再次发送不会重复发信。
web-mail-publish = 通过电子邮件发布表决结果
web-mail-publish_help = 每位业主只收到一次结果通知：再次发布不会重复发信。
web-mail-queued = 本次新加入发件队列的邮件：
web-mail-emailed = 本轮涉及有电子邮箱的业主：
web-mail-nothing_new = 没有新邮件：本轮的邮件此前已加入发件队列。
web-mail-paper_round = 纸质送达名单（电子邮件和短信都无法送达的业主）
web-mail-paper_help = 这些业主既收不到电子邮件也收不到短信，每份通知都须投递到户。本页可直接打印。
web-mail-no_paper = 所有业主都有电子邮箱。
web-mail-delivered = 送达签收
web-mail-preview = 预览邮件
web-mail-kind = 通知类型
web-mail-member = 业主
web-mail-language = 语言
web-mail-owners_language = 业主设定的语言
web-mail-show = 预览
web-mail-subject = 主题
web-mail-text_body = 纯文本正文
web-mail-html_body = 网页版正文
web-mail-recipient = 收件人
web-mail-no_address = 无电子邮箱（纸质送达）
web-mail-status = 状态
web-mail-all = 全部
web-mail-pending = 待发送
web-mail-sent = 已发送
web-mail-failed = 发送失败
web-mail-attempts = 尝试次数
web-mail-last_error = 最后一次错误
web-mail-queued_at = 加入队列
web-mail-sent_at = 发出时间
web-mail-next_attempt = 下次尝试
web-mail-failed_alert = 封邮件发送失败：请改为纸质送达这些业主。
web-mail-empty = 没有邮件。
web-mail-filter = 筛选
web-mail-this_assembly = 本次会议的邮件

## Command line: privacy (erasing contact data that is no longer needed).
privacy-contacts = 联系方式（条）
privacy-messages = 已处理邮件的收件地址与正文（封）
privacy-mail_files = 超过保留期的邮件文件（.eml）
privacy-needed_until = 最后使用于
privacy-erased = 已删除
privacy-dry_run = 试运行，未删除任何数据；将删除
privacy-nothing_due = 没有超过保留期的联系方式。
privacy-kept_until_next_roster = 保留期设为 0：联系方式保留至下次导入业主名册，不按时间删除。
privacy-erased_recipient = （保留期满，已删除）

## A full disk.
storage_full = 服务器存储空间已满，本次操作未保存。请稍后重试，并通知管理员。
cli_backup_no_space = 备份目标磁盘已满，未留下不完整的文件：

## Sessions, the items of a draft, cancelling an assembly.
session_too_old = 登录时间过长，不能再延期，请重新登录。
items_fixed = 会议已不是草稿，表决事项不能再修改或删除。
item_named_by_proxy = 已登记的委托书指定了此表决事项，请先撤销该委托。
no_items_to_announce = 会议还没有任何表决事项，不能发布公告（没有事项的会议无法开始投票）。
cancel_not_allowed = 会议已结束投票并公示结果，或已取消，不能再取消。
mail_cancellation = 会议取消通知

## Lines of a roster file that cannot be imported, or that are worth a note (the import report).
roster-not_text = 文件既不是 XLSX 表格，也不是 UTF-8、UTF-16 或 GBK 文本
# $reason: why, as the workbook reader says (in English)
roster-unreadable = 无法读取表格：{ $reason }
# $missing: the names of the missing columns, joined by list_separator
roster-no_header = 找不到包含必填列的表头（缺少：{ $missing }）
# $field: the column the program looks for; $first: the header of the first column read as it
roster-ambiguous_column = 该列与“{ $first }”列都被识别为 { $field }
roster-no_units = 名册中没有任何房屋
roster-building_missing = 缺少楼号
roster-room_missing = 缺少室号
roster-area_missing = 缺少面积
roster-area_not_positive = 面积必须大于零
roster-area_too_many_decimals = 面积最多两位小数
roster-area_not_a_number = 面积不是数字
roster-area_too_large = 面积过大
roster-floor_not_a_number = 楼层不是整数
roster-duplicate_unit = 房屋 { $unit } 重复（首次出现在第 { $first_line } 行）
roster-owner_id_missing = 缺少业主编号
roster-email_malformed = 电子邮箱格式不正确
roster-control_character = 单元格含有控制字符（如 NUL），导出文件可能已损坏
roster-bidi_control = 单元格含有双向文字控制字符（如 U+202E），会使内容显示得与实际不同
roster-owner_named_twice = 业主编号 { $owner_id } 在第 { $first_line } 行登记为 { $first_name }
roster-blank_line = 空行
roster-above_header = 表头上方的标题或说明
roster-repeated_header = 重复的表头行
roster-total_row = 合计行

## The nine matters of Civil Code art. 278 para. 1, by number, as the setup page lists them.
matter-1 = 制定和修改业主大会议事规则
matter-2 = 制定和修改管理规约
matter-3 = 选举业主委员会或者更换业主委员会成员
matter-4 = 选聘和解聘物业服务企业或者其他管理人
matter-5 = 使用建筑物及其附属设施的维修资金
matter-6 = 筹集建筑物及其附属设施的维修资金
matter-7 = 改建、重建建筑物及其附属设施
matter-8 = 改变共有部分的用途或者利用共有部分从事经营活动
matter-9 = 有关共有和共同管理权利的其他重大事项

## The rule an item is counted with, in words (built from its thresholds): e.g. "The floor area and
## owners taking part must each be at least two thirds of the total, and more than half of the
## participating floor area and owners must each agree."
# The three measures of a threshold.
rule-area = 专有部分面积
rule-heads = 人数
rule-units = 户数
# Between two measures that share a threshold.
rule-measures_and = 和
# $fraction: a fraction in words (三分之二, two thirds); the words of fractions are in the code.
rule-more_than = 过{ $fraction }
rule-more_than_half = 过半数
rule-at_least = { $fraction }以上
# Who must take part. $measures: the measures joined by rule-measures_and; $count: how many
# measures; $bound: rule-more_than, rule-more_than_half or rule-at_least.
rule-participation =
    需参与表决的{ $measures }{ $count ->
        [1] {""}
       *[other] 均
    }达到全体的{ $bound }
# Who must agree, counted among those taking part.
rule-approval_participating =
    参与表决者中{ $measures }{ $count ->
        [1] {""}
       *[other] 均
    }{ $bound }同意
# Who must agree, counted among all owners.
rule-approval_total =
    全体业主中{ $measures }{ $count ->
        [1] {""}
       *[other] 均
    }{ $bound }同意
# Between the clauses of a rule.
rule-clauses_and = ，且
# The whole rule; its first letter is capitalised by the program.
rule-sentence = { $clauses }。

## Lists in running text.
# Between the items of a list: the choices of an owner, missing columns.
list_separator = 、

## Results figures in plain words, the published roll and the notice (issue 21, i21-results).
fig-area = 面积
fig-heads = 人数
fig-units = 户数
fig-half = 半数
fig-need_at_least = 需达到{ $fraction }以上
fig-need_more_than = 需超过{ $fraction }
fig-subject_participating = 参与表决{ $measure }
fig-subject_choice = { $name }{ $measure }
fig-subject_candidate = 支持{ $name }的{ $measure }
fig-subject_option = 选择“{ $name }”的{ $measure }
fig-of_total = 总{ $measure }
fig-of_participating = 参与{ $measure }
fig-of_respondents = 回答此问题的{ $measure }
fig-share = { $subject }占{ $base } { $share }
fig-checked = { $figure }，{ $need }
fig-met = 已达到
fig-not_met = 未达到
fig-sep = ：
fig-group_building = { $group } 号楼单独计算：{ $outcome }
fig-group_zone = { $group } 单独计算：{ $outcome }
fig-choice = 选项
fig-candidate = 候选人
fig-option = 选项
fig-elected = { $name }（当选）
fig-tied = { $name }（票数相同，须另行决定）
fig-adopted = { $name }（采纳）
fig-question = { $question }（{ $heads } 人作答）
fig-area_column = 面积
fig-heads_column = 人数
web-roll-search = 按房号查找
web-roll-search_help = 输入房号或其中一部分，例如 2-1-101
web-roll-find = 查找
web-roll-yours = 您的房屋
web-roll-found = 房号含“{ $unit }”的记录（{ $n } 条）
web-roll-too_many = 只显示前 { $n } 条，请输入更完整的房号。
web-roll-no_match = 没有房号含“{ $unit }”的记录。
web-roll-all = 全部名单
web-roll-page = 第 { $page } 页，共 { $pages } 页（{ $n } 户）
web-roll-prev = 上一页
web-roll-next = 下一页
web-roll-pages = 翻页
web-notice-scope_all = 全体业主表决
web-notice-scope_buildings = 仅 { $list } 号楼业主表决
web-notice-scope_zones = 仅 { $list } 业主表决
web-notice-scope_stairwells = 仅 { $list } 业主表决
web-notice-stairwell = { $building } 号楼 { $stairwell } 单元
web-notice-candidates = 候选人（应选 { $n } 人）：
web-notice-question = 问题 { $n }：{ $question }
web-notice-max_choices = 最多可选 { $n } 项
web-notice-issuer = { $estate }业主大会 / 业主委员会
web-notice-date = { $date }（北京时间）
web-notice-contact = 咨询电话：{ $phone }
web-notice-times = 时间均为北京时间。
## issue 21 (staff): dashboard, setup form, closing, error pages, roster report.
web-dash-heads_count = { $n } 户
web-dash-units_count = { $n } 套
web-dash-missing = 还差 { $what }
web-dash-met = ✓ 已达到
web-dash-reference = 意见征询不作决定，没有法定参与门槛；表中与三分之二比较仅供参考。
web-dash-figures_at = 数据时间（北京时间）：
web-dash-refresh = 刷新
web-dash-item = 事项
web-dash-quorum = 参与门槛
web-dash-exact = 是否达到门槛按各事项的规则精确计算（如三分之二：参与面积 × 3 ≥ 总面积 × 2，人数同理）；百分比四舍五入到 0.1%，仅便于阅读。“还差”是还需参与的最少人数和最少面积，两项都要达到。
web-dash-rules = 各事项的表决规则
web-dash-members = 业主
web-dash-not_voted = 未投票
web-dash-voted_share = 已投票
web-dash-all = 全体（每位业主计一人）
web-dash-building_note = 同一业主在几栋楼都有房屋时，在每栋楼各计一人，在全体中只计一人（一位业主计一人），所以各楼栋人数相加（{ $sum }）多于全体业主人数（{ $total }）。
web-dash-one_head = 每位业主只计一人，无论有几套房屋。
web-dash-not_voted_help = 名单只列出还有事项未投票的业主及其房屋，用于上门或电话提醒；不显示任何人的投票内容。
web-dash-print_list = 打印未投票名单
web-dash-csv = 下载名单（CSV）
web-dash-show_list = 在本页查看名单
web-dash-people = 位业主
web-dash-back = 返回参与情况
web-dash-none_left = 所有业主都已投票。
web-dash-units = 房屋
web-dash-owner_name = 业主
web-dash-owner_id = 业主编号
web-dash-visit = 提醒记录
web-form-field_error = { $field }：{ $reason }
web-form-summary = 请修改标出的内容后再提交，已填写的内容都保留着。
web-form-whole_number = 请填写整数。
web-form-date_time = 请填写日期和时间（年-月-日 时:分）。
web-form-required = 不能为空。
web-form-closes_before_opens = 必须晚于投票开始时间。
web-form-range = 必须在 { $min } 到 { $max } 之间。
web-form-candidate_twice = 第 { $n } 行的候选人与前面重复。
web-form-no_candidates = 请至少填写一位候选人，每行一位。
web-form-seats_over_candidates = 应选人数不能多于候选人人数。
web-form-no_questions = 请至少填写一个问题，每行一个：“问题：选项 / 选项”。
web-form-question_line = 第 { $n } 行有误：每行写“问题：选项 / 选项”，问题不能重复，选项不能为空或重复。
web-form-choose_matter = 请选择事项类别。
web-form-choose_scope = 请勾选至少一项范围。
web-form-check = 请检查填写的内容。
web-close_confirm-title = 确认结束投票
web-close_confirm-early = 投票原定于 { $closes_at }（北京时间）截止，现在提前结束。结束后尚未投票的业主将不能再投票。
web-close_confirm-due = 投票截止时间 { $closes_at }（北京时间）已到。
web-close_confirm-not_voted = 目前还有 { $n } 位业主有事项未投票。
web-close_confirm-reason = 理由：
web-close_confirm-final = 结束后不能重新开始投票，结果将按已收到的选票统计。
web-close_confirm-yes = 是，结束投票
web-close_confirm-no = 不结束，返回
web-error_back = 返回上一页
web-roster-counts = 名册概况
web-roster-units = 房屋（户）
web-roster-members = 业主（每人计一次）
web-roster-developer = 开发商未售房屋
web-roster-emails = 有电子邮箱的业主
web-roster-phones = 有电话的业主
web-roster-area = 专有部分总面积
web-roster-no_email = 没有电子邮箱的 { $n } 位业主需纸质送达投票码。
web-roster-members_note = 同一业主编号的几套房屋计为一位业主；开发商未售的房屋合计为一位业主。
web-roster-changes = 与上一版相比
web-roster-issues = 问题汇总
web-roster-count = 数量
web-roster-lines = 所在行
web-roster-more = ……另有 { $n } 个
web-roster-details = 逐行查看
web-roster-group_duplicate = 重复的房屋
web-roster-group_named_twice = 同一业主编号登记了不同姓名
## issue 21: paper (printed sheets, confirming a whole sheet, paper over a web ballot).
web-sheets-heading = 表决票
web-sheet-units = 房屋及专有部分面积：
web-sheet-total_area = 合计 { $area } m²
web-sheet-for_units = （本项只按 { $units } 计）
web-sheet-how_to_mark = 填写方法：请用黑色或蓝色笔在所选项前的方框内打“✓”。每项按说明的数量勾选；勾选超过规定数量或涂改不清的，该项作废；未勾选的事项视为未参与该项表决。
web-sheet-pick_one = 选一项
web-sheet-return = 请签名后，于 { $closes }（北京时间）前将本表决票交到物业服务中心投票箱。
web-sheet-date = 日期：
web-confirm-sheet = 确认整张表决票
web-confirm-sheet_items = 本张表决票共 { $n } 项，核对纸质原件无误后一次确认。
web-paper-replaces_web = 注意：该业主已在网上投票（{ $items }；最后一次在 { $at }，北京时间）。录入这张纸质表决票将替换网上投票，前提是纸质票的收到时间晚于 { $at }；收到时间更早的纸质票会被拒绝，网上投票继续有效。
web-paper-web_fixed = 注意：该业主已在网上投票（{ $items }；最后一次在 { $at }，北京时间）。本次会议不允许更改选票，纸质表决票不能替换网上投票，这些事项的录入会被拒绝。
## Owner pages (issue 21, i21-owner): larger text, help line, sheet receipt, expired sessions,
## refused cookies, attempt limits, opening and closing times, skipped items, election rules.
# The larger-text switch in the header (长辈模式), and back.
web-text_big = 长辈模式（大字）
web-text_normal = 标准字号
# The help line under every owner page. $phone: the estate's contact phone.
web-help_phone = 需要帮助？请致电 { $phone }（业主委员会 / 物业）。
web-help_no_phone = 需要帮助？请联系业主委员会或物业服务中心。
# A form came back without the browser's session cookie: cookies are refused (or were cleared).
web-no_cookies = 您的浏览器没有保存本网站的 Cookie，所以无法登录投票（不是表决码的问题）。请在浏览器设置中允许本网站的 Cookie，或关闭“无痕/隐私浏览”，然后重新打开投票页面。
# The session ended in the middle of a sheet: the choices so far are carried through the code form.
web-session_expired = 您的登录已过期，请重新输入表决码。您刚才的选择已保留，登录后可以继续。
web-session_expired_plain = 您的登录已过期，请重新输入表决码。
# $minutes: how long until the attempt limit allows another try (at most).
web-too_many_attempts_wait = 尝试次数过多。为保护表决码，请 { $minutes } 分钟后再试。
# An election's step with candidates and 弃权 both ticked: refused, the ticks kept.
web-abstain_with_candidates = 您既勾选了候选人，又勾选了“弃权”，两者不能同时选择。请取消“弃权”以投给所选候选人，或取消所选候选人以弃权。
# The one receipt of the owner's sheet (derived from the receipts of its ballots; docs/guide-auditor.md).
web-sheet_receipt = 本次表决回执号
web-sheet_receipt_hint = 请截屏或抄下这个回执号并妥善保存。公布结果后，可凭它核对您的表决已被计入。
# $at: Beijing time, 2026-12-09 01:10.
web-sheet_receipt_at = 提交时间：{ $at }（北京时间）
web-sheet_receipt_covers = 此回执号涵盖下列 { $n } 项表决。
# Before opening, instead of "no item". Times in Beijing time.
web-opens_later = 投票尚未开始。将于 { $opens }（北京时间）开始，{ $closes } 截止。届时请再打开本页。
web-closed_early = 投票已于 { $at }（北京时间）提前结束，原定截止时间为 { $scheduled }。原因：{ $reason }
web-closed_at_time = 投票已于 { $at }（北京时间）结束。
web-cancelled_reason = 本次表决已取消。原因：{ $reason }
# The review page: an item left without a choice.
web-skipped = 未作选择：提交后，此项不记录您的表决。如需表决，请点“修改”。
web-skipped_count = 您有 { $n } 项未作选择（下方已标出）。
# The legend of a step's choices (the title is the page's heading).
web-your_choice_legend = 请选择：
# A consultation's answer to one question, and between answers.
web-answer_pair = { $question }：{ $answers }
web-answers_separator = {"；"}
# An election's rule worded for candidates. $seats: seats; $votes: rule-votes_* joined by rule-clauses_and.
rule-elected = 得票最多的 { $seats } 名候选人当选，每名当选人须获{ $votes }
rule-elected_only = 得票最多的 { $seats } 名候选人当选
rule-votes_participating =
    参与表决者中{ $measures }{ $count ->
        [1] {""}
       *[other] 均
    }{ $bound }的选票
rule-votes_total =
    全体业主中{ $measures }{ $count ->
        [1] {""}
       *[other] 均
    }{ $bound }的选票

## The estate's contact phone on the staff home page (issue 21, point 8).
web-contact_phone = 业主咨询电话
web-contact_phone_help = 显示在每个业主页面底部和会议公告上，供业主遇到困难时拨打（如业委会值班电话或物业服务中心）。留空则不显示。
web-contact_phone_invalid = 请填写可以拨打的电话号码：3 至 30 个字符，只含数字、空格和 + - ( ) / 或“转”（分机）。
web-contact_phone_save = 保存电话

not_a_witness = 该签名不属于本小区登记的见证方。
checkpoint_unknown = 本日志从未生成过该大小和根哈希的检查点。
witness_dissents = 本小区日志的见证方报告日志历史被改写；在查明之前不能发布最终结果。
log-checkpoint_line = 日志检查点：共 { $size } 条记录，根哈希 { $root }（{ $at }，北京时间）
log-checkpoint_hint = 请保存这一行（或拍照）：日后任何人都能据此证明小区的记录是否被改动。全部检查点：{ $url }
log-witnessed_by = 见证方联署：{ $names }
cli_records_match = 所有表决事项（规则、事项类别、范围）、冻结的表决名册、委托和产权转移均与审计日志一致
cli_record_mismatch = 记录与审计日志不一致
audit_disagrees = 小区的记录与审计日志不一致（见审计核查）；查明之前不能发布最终结果。
web-log-title = 公开记录日志
web-log-intro = 决定计票结果的一切（业主名册、表决事项及其规则、每一张选票、异议和公示）都写入本小区的记录日志。检查点把日志当时的状态封存下来：记录条数和指纹（根哈希）。检查点印在公告上，随每一封邮件发出，并由居委会等见证方联署。任何人只要保存了检查点，日后都能证明记录是只增不改，还是被改写过。
web-log-checkpoints = 检查点（最新的在前）
web-log-none = 尚无检查点。
web-log-when = 时间（北京时间）
web-log-why = 时机
web-log-entries = 记录条数
web-log-root = 指纹（根哈希）
web-log-cosigned = 见证方联署
web-log-dissent = 异议：
web-log-downloads = 可保存的文件
web-log-newest = 最新检查点（签名文本）
web-log-keys = 日志公钥
web-log-all = 全部检查点（JSON）
web-log-witnesses = 见证方
web-log-no_witness = 尚未登记见证方。
web-log-keys_title = 验证检查点的公钥
web-log-reason_setup = 公告前：表决事项及规则
web-log-reason_announced = 已公告
web-log-reason_opened = 投票开始
web-log-reason_daily = 投票期间每日
web-log-reason_closed = 投票结束，初步结果
web-log-reason_final = 最终结果
web-log-reason_requested = 应请求（证明文件）
web-log-proof = 下载本票已记入日志的证明文件

# issue 19: 从众 (follow the majority)
follow_not_in_rules = 本小区的业主大会议事规则未规定“从众”表决方式，本事项不能提供“从众”选项。请先记录议事规则中规定“从众”的条款。
web-follow = 从众
web-follow_explain = 选“从众”：您参加表决，您的票随其他参加表决业主的多数意见（同意或反对）计入。“从众”票计入参加人数和面积，但不会改变哪一方胜出。
web-follow_joined = 从众票随“{ $side }”计入
web-follow_offer = 提供“从众”选项（议事规则有规定时）
web-follow_setting = “从众”表决方式
web-follow_setting_help = 业主大会议事规则规定“从众”时，表决事项可以提供第四个选项“从众”：业主参加表决，其票随其他参加表决业主的多数意见计入。请写明规定此事的条款。
web-follow_basis = 议事规则条款（例如：《业主大会议事规则》第十二条）
web-follow_save = 保存“从众”设置
web-follow_off = 议事规则未规定“从众”。
web-follow_on = 议事规则规定“从众”：{ $basis }

# issue 19: extending voting
mail_extension = 投票延期通知
extend_only_while_open = 只有正在投票的会议才能延长投票时间；投票结束后不能再延期。
extension_not_later = 新的截止时间必须晚于当前截止时间和现在。
extension_too_long = 延长后的截止时间超出了议事规则允许的上限。
web-extend_title = 延长投票时间
web-extend_help = 参与表决未达到三分之二时，可按议事规则延长投票时间。已投的票继续有效；全体业主将收到延期通知（电子邮件，或由楼组长送达纸质通知）。
web-extend_new_close = 新的截止时间（北京时间）
web-extend_reason = 延期原因（将告知全体业主）
web-extend_submit = 延长投票时间并通知全体业主
web-extended = 投票时间已延长：截止时间由 { $from } 延至 { $to }（北京时间）。原因：{ $reason }
web-original_close = 原定截止时间：{ $at }
web-extend_latest = 议事规则允许的最晚截止时间：{ $at }

# issue 19: documents
document_type = 只能上传 PDF 文件或图片（PNG、JPEG、WebP），且不超过 10 MB。
documents_fixed = 会议公告后，表决事项的文件不能再更改；新版本请作为新文件在下次会议中公告。
web-documents = 相关文件
web-document_line = { $name }（{ $kind }，{ $size }）
web-document_add = 上传文件
web-document_name = 文件名称（例如：电梯更新报价单）
web-document_file = 文件（PDF 或图片，不超过 10 MB）
web-document_help = 公告前上传。公告后文件固定不变，其 SHA-256 校验码记入日志，并印在公告上。
web-document_remove = 删除此文件
web-document_scan = 扫码查看文件

# issue 19: rounds and stairwells
web-by_stairwell = 按单元（楼梯）
web-stairwell = 楼栋-单元
rounds_of_consultations = 只有征询事项可以进行下一轮。
round_after_closing = 上一轮征询的投票结束后，才能发起下一轮。
round_exists = 这一轮征询已经有下一轮。
web-rounds = 各轮征询
web-round_line = 第 { $n } 轮：{ $title }（{ $state }）
web-round_of = 第 { $n } 轮征询
web-next_round = 发起下一轮征询
web-next_round_help = 下一轮征询询问同样的业主（或其中一部分，例如尚未形成决定的单元），问题沿用本轮，可在会议公告前修改。
web-next_round_assembly = 在哪次会议中征询（草稿）

# issue 19: candidates
web-sheet_statement = { $name }：{ $statement }
web-sheet_statements = 候选人简介（全文见公告）：{ $list }
web-candidate_heading = 候选人
candidates_of_elections = 只有选举事项有候选人名册。
candidates_fixed = 会议公告后，候选人名册不能再更改。
candidate_review_same_person = 登记候选人的工作人员不能审核同一候选人，请由另一位工作人员审核。
candidate_not_reviewed = 选举的每位候选人都须登记，并经审核确认资格后，才能公告。
web-candidate_units = 房屋：{ $units }
web-candidate_nominated = 推荐方式：{ $by }
web-candidate_photo = { $name } 的照片
web-candidate_register = 登记候选人
web-candidate_register_help = 每位候选人登记房屋、简介、推荐方式和资格声明；再由另一位工作人员审核资格。全部审核通过后才能公告。
web-candidate_name = 候选人
web-candidate_units_field = 名下房屋（房号，多个用逗号分隔）
web-candidate_statement = 候选人简介
web-candidate_nominated_field = 推荐方式（例如：10 名业主联名推荐）
web-candidate_photo_field = 照片（本事项已上传的图片，可不选）
web-candidate_no_photo = 无照片
web-candidate_declarations = 资格声明（候选人确认的打勾）
web-candidate_save = 登记
web-candidate_review = 资格审核
web-candidate_eligible = 资格审核通过
web-candidate_rejected = 资格审核未通过：{ $reason }
web-candidate_awaiting = 待审核（须由另一位工作人员审核）
web-candidate_missing = 尚未登记
web-candidate_review_reason = 理由（不通过时必填）
web-candidate_approve = 审核通过
web-candidate_reject = 不通过
web-candidate_declarations_setting = 候选人资格声明
web-candidate_declarations_help = 每行一项，候选人登记时逐项声明。修改会记入日志。
web-candidate_declarations_save = 保存声明事项
web-candidate_yes = 是
web-candidate_no = 否

# issue 19: building volunteers
volunteer_creator_confirms = 楼组长录入的纸质选票，须由创建该楼组长账号以外的另一位工作人员确认。
web-volunteer_heads = { $n } 户
web-volunteer_area_short = { $area } m²
login_taken = 这个登录名已有人使用，请换一个。
volunteers_round_only = 楼组长只能查看和记录自己负责楼栋的走访。
volunteers_only = 此功能供楼组长使用。
round_only_while_open = 投票进行中才能上门走访。
web-volunteer_title = 楼组长走访
web-volunteer_areas = 负责：{ $areas }
web-volunteer_no_round = 目前没有正在投票的会议。
web-volunteer_closes = 投票截止：{ $at }
web-volunteer_building = { $building }号楼
web-volunteer_stairwell = { $building }号楼{ $stairwell }单元
web-volunteer_turnout = 已参加 { $heads }/{ $total_heads } 户，面积 { $area }/{ $total_area } m²
web-volunteer_missing = 距三分之二还差 { $what }
web-volunteer_reached = 已达到三分之二
web-volunteer_doors = 尚未投票的业主（{ $n } 户）
web-volunteer_no_doors = 负责楼栋的业主都已投票。
web-volunteer_last_visit = 上次走访：{ $at }，{ $outcome }
web-visit_not_home = 不在家
web-visit_online = 会在网上投票
web-visit_paper = 已收回纸质表决票
web-visit_refused = 不愿投票
web-visit_outcome = 走访结果
web-visit_note = 备注（可不填）
web-visit_record = 记录走访
web-volunteer_paper = 录入收回的纸质表决票（秘书确认后才计入）
web-volunteer_door_list = 打印上门名单
web-volunteer_door_list_title = 上门走访名单
web-volunteer_door_list_help = 只列尚未投票的业主；不显示任何人的选择。
web-volunteers = 楼组长
web-volunteers_help = 楼组长只能看到自己负责楼栋里谁尚未投票（看不到任何人的选择），记录上门走访，录入收回的纸质表决票（须由秘书确认才计入）。
web-volunteer_line = { $name }（{ $login }）：{ $areas }
web-volunteer_create = 添加楼组长
web-volunteer_login = 登录名（字母或数字，例如 chen3）
web-volunteer_name = 称呼（例如：3号楼 陈阿姨）
web-volunteer_buildings = 负责的楼栋（用逗号分隔，例如：3, 5）
web-volunteer_stairwells = 或负责的单元（楼栋-单元，例如：6-1）
web-volunteer_created = 已添加楼组长 { $login }。初始密码：{ $password }（只显示这一次，请当面交给本人）
sms-announcement = { $estate }业主大会《{ $title }》将于{ $opens }开始投票，{ $closes }截止。详情：{ $link }
sms-invitation = { $estate }业主大会《{ $title }》投票已开始，{ $closes }截止。请打开 { $link } 用本手机号登录投票。
sms-reminder = 提醒：{ $estate }业主大会《{ $title }》{ $closes }截止，您还未完成投票。请打开 { $link } 用本手机号登录投票。
sms-ballot_recorded = { $estate }《{ $title }》已于{ $at }通过{ $channel }记录您的表决票，回执 { $receipt }。如非您本人所投，请立即查看并提出异议：{ $link }
sms-result = { $estate }业主大会《{ $title }》投票结果已公布，请查看：{ $link }
sms-extension = { $estate }业主大会《{ $title }》投票截止时间延长至{ $closes }，已投的票仍然有效。详情：{ $link }
sms-cancellation = { $estate }业主大会《{ $title }》已取消，详情：{ $link }
sms-sign_in_code = 您的业主大会投票登录验证码：{ $code }，{ $minutes }分钟内有效。请勿告诉任何人，业委会和物业也不会向您索要。
web-sms_forecast = 下一轮将发送：电子邮件 { $emails } 封，短信 { $texts } 条（超出短信预算未发 { $held } 条），纸质送达 { $paper } 户。
web-sms_texted = 短信：
sms_sign_in_only_while_open = 只有在投票期间才能用短信验证码登录。
sms_not_offered = 本小区没有开通短信通知和短信登录，请使用纸质通知上的投票码。
web-sms_sign_in = 用手机短信验证码登录
web-sms_sent = 如果这个号码是业主名册上登记的号码，验证码短信已经发出。请在几分钟内输入。
web-sms_code_label = 短信里的6位验证码
web-sms_no_code = 没有收到？请确认号码是名册上登记的号码，或者使用纸质通知上的投票码。
web-sms_help = 请输入业主名册上登记的手机号码，我们会发送一个6位验证码。
web-sms_phone_label = 手机号码
web-sms_send_code = 发送验证码
web-sms_use_code = 改用投票码登录
web-sms_bad_code = 验证码不对或已过期，请重新获取。
web-sms_record_title = 发给我的通知
web-sms_back_to_sheet = 返回表决票
web-sms_channels_title = 通知方式
web-sms_channels_legend = 请选择通知方式
web-sms_alerts_always = 以您名义记录表决票的提醒，会同时通过短信和电子邮件发送，不受此设置影响。
web-sms_save = 保存
web-sms_deliveries = 已发送的通知
web-sms_no_deliveries = 还没有发给您的电子通知。
web-sms_channel = 方式
web-sms_sent_at = 发出时间
web-sms_delivery = 送达情况
web-sms_other_notice = 通知
web-sms_both = 短信和电子邮件
web-sms_only_sms = 只用短信
web-sms_only_email = 只用电子邮件
web-sms_channel_sms = 短信
web-sms_channel_email = 电子邮件
web-sms_not_sent = 未能发出
web-sms_waiting = 等待发送
web-sms_delivered = 已送达
web-sms_undelivered = 未送达
web-sms_unknown = 未知（无回执）
web-sms_channels_saved = 已保存您的通知方式。
web-sms_setting = 短信通知
web-sms_on = 已开通：通知同时通过短信发送，业主可以用短信验证码登录。
web-sms_off = 未开通：通知只通过电子邮件和纸质送达。
web-sms_setting_help = 短信由本小区付费。预算限制每位业主每次大会的短信条数和全小区每天的条数；表决票记录提醒和登录验证码不计入。
web-sms_per_owner = 每位业主每次大会最多短信条数
web-sms_per_day = 全小区每天最多短信条数
web-sms_record_link = 发给我的通知和通知方式
web-sms_setting_save = 保存短信设置
roster-too_many_rows = 文件超过 { $limit } 行，超出名册的行数上限：请确认导出的只是本小区的名册
