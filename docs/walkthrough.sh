#!/usr/bin/env bash
# docs/api.md's walkthrough, executable: one owners' assembly of the lakeside estate (a trial
# estate, so that it runs in about two minutes) from an empty install to the final
# publication and a verified export, with every date computed from now.
#
#   gongjue serve &                      # the server, on the database the CLI below uses
#   bash docs/walkthrough.sh             # needs bash, curl (>= 7.76), jq, GNU date
#
# Settings (environment): GONGJUE (the binary, default `gongjue` on the PATH), API (default
# http://127.0.0.1:8080/api/v1), DATABASE_URL (the server's database, which the CLI steps write
# to; default ./data/gongjue.db of the current directory, as for `gongjue serve`), ROSTER
# (default docs/lakeside.csv, a copy of ../shared/fixtures/lakeside.csv), WORK (where codes and
# exports are written, default a new temporary directory), MAIL_DIR (the server's mail folder,
# where owners with an address find their codes; default ./data/outbox, as for `gongjue serve`).
#
# The blocks between `# doc: NAME` and `# end` are docs/api.md's code blocks, word for word
# (tests/api/walkthrough.rs fails when they differ). Every request must succeed unless it is
# wrapped in `refused CODE`, which checks that it is refused with that error code.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GONGJUE=${GONGJUE:-gongjue}
if [[ $GONGJUE == */* ]]; then GONGJUE=$(realpath "$GONGJUE"); fi
API=${API:-http://127.0.0.1:8080/api/v1}
ROSTER=${ROSTER:-$here/lakeside.csv}
# The server's default database, seen from where it was started (as this script is).
export DATABASE_URL=${DATABASE_URL:-sqlite://$PWD/data/gongjue.db}
WORK=${WORK:-$(mktemp -d)}
# The server's mail folder (its --mail-dir), seen from where it was started: the owners'
# mailboxes of this walkthrough.
MAIL_DIR=${MAIL_DIR:-$PWD/data/outbox}
if [[ $MAIL_DIR != /* ]]; then MAIL_DIR=$PWD/$MAIL_DIR; fi
cd "$WORK"

gongjue() { "$GONGJUE" "$@"; }
# Any answer other than 2xx stops the script, with the answer's body.
curl() {
    if [ -n "${expect_refusal:-}" ]; then
        command curl --silent --fail-with-body "$@"
    else
        command curl --silent --show-error --fail-with-body "$@"
    fi
}
# The command must be refused with error code $1; prints the error.
refused() {
    local code=$1 out
    shift
    if out=$(expect_refusal=1 "$@"); then
        echo "expected the error $code, got: $out" >&2
        return 1
    fi
    if [ "$(jq -r .error.code <<<"$out")" != "$code" ]; then
        echo "expected the error $code, got: $out" >&2
        return 1
    fi
    jq -c .error <<<"$out"
}
# An RFC 3339 time (UTC) relative to now, e.g. `at '+16 days'`.
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }
# Sleeps until the given time has passed.
wait_until() {
    local left=$(($(date -d "$1" +%s) - $(date +%s) + 1))
    if [ "$left" -gt 0 ]; then sleep "$left"; fi
}
step() { printf '\n== %s\n' "$*"; }

step "0. Bootstrap: a trial estate, two secretaries"
# doc: bootstrap
ESTATE=$(gongjue admin create-estate --name 湖畔花园 --trial)
#   试用/TRIAL: …   (on stderr; the id on stdout)
echo 'wang-password-2026' | gongjue admin create-user --login wang --display-name 王秘书 \
     --role secretary --estate $ESTATE --password-stdin
echo 'li-password-2026' | gongjue admin create-user --login li --display-name 李秘书 \
     --role secretary --estate $ESTATE --password-stdin
# end

# doc: connect
API=${API:-http://127.0.0.1:8080/api/v1}
J='content-type: application/json'
curl -s $API/../../healthz                                     # {"status":"ok"}
# end

step "1. Staff sign in"
# doc: sign-in
TOKEN=$(curl -s -XPOST $API/sessions -H "$J" -d '{"login":"wang","password":"wang-password-2026"}' | jq -r .token)
A="authorization: Bearer $TOKEN"
TOKEN_LI=$(curl -s -XPOST $API/sessions -H "$J" -d '{"login":"li","password":"li-password-2026"}' | jq -r .token)
# end

step "2. The roster"
# doc: roster
curl -s -XPUT "$API/estates/$ESTATE/roster?name=lakeside.csv" -H "$A" -H 'content-type: application/octet-stream' \
     --data-binary @"$ROSTER" | jq -c '{roster_version, units, total_area}'
# {"roster_version":1,"units":784,"total_area":"132795.83"}
curl -s $API/estates/$ESTATE/units -H "$A" | jq -c '.[0]'
# {"unit":"1-1-1001","zone":"","building":"1","stairwell":"1","room":"1001","floor":10,"area":"234.66","owner_id":"P000037"}
# end

step "3. An assembly and its items"
# doc: assembly
OPENS=$(at '+30 seconds')       # a real estate: at '+16 days', with "notice_days": 15
CLOSES=$(at '+2 hours')
ASSEMBLY=$(curl -s -XPOST $API/estates/$ESTATE/assemblies -H "$A" -H "$J" -d '{
  "title": "2026年第一次业主大会会议",
  "opens_at": "'$OPENS'", "closes_at": "'$CLOSES'",
  "ballots_changeable": true, "notice_days": 0, "objection_minutes": 1 }' | jq -r .id)
# end

# doc: items
MOTION=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/items -H "$A" -H "$J" \
     -d '{"kind":"motion","title":"续聘物业服务企业","matter":4}' | jq -r .id)
FACADE=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/items -H "$A" -H "$J" -d '{"kind":"motion",
     "title":"3号楼外立面改建","matter":7,"scope":{"kind":"buildings","buildings":["3"]}}' | jq -r .id)
ELECTION=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/items -H "$A" -H "$J" -d '{"kind":"election",
     "title":"选举第二届业主委员会","seats":3,"candidates":["王*明","李*华","张*伟","刘*芳"]}' | jq -r .id)
# end

step "3b. The candidate register: each candidate registered, then found eligible by a second person"
# doc: candidates
refused candidate_not_reviewed curl -s -XPOST $API/assemblies/$ASSEMBLY/announce -H "$A"
# {"code":"candidate_not_reviewed","message":"选举的每位候选人都须登记，并经审核确认资格后，才能公告。","field":"items[2].candidates[0]",…}
curl -s $API/items/$ELECTION/candidates -H "$A" | jq -c .declarations
# ["本小区业主本人（非仅为物业使用人）","无拖欠物业服务费","无违法搭建"]
for NAME in '王*明' '李*华' '张*伟' '刘*芳'; do
  CANDIDATE=$(curl -s -XPOST $API/items/$ELECTION/candidates -H "$A" -H "$J" -d '{"name":"'"$NAME"'",
       "units":["1-1-1001"], "statement":"从事财务工作二十年，愿为业主管好维修资金。", "nominated_by":"10 名业主联名推荐",
       "declarations":{"本小区业主本人（非仅为物业使用人）":true,"无拖欠物业服务费":true,"无违法搭建":true}}' | jq -r .id)
  # The registrant never reviews; the second secretary does.
  refused candidate_review_same_person curl -s -XPOST $API/candidates/$CANDIDATE/review -H "$A" -H "$J" -d '{"eligible":true}' >/dev/null
  curl -s -XPOST $API/candidates/$CANDIDATE/review -H "authorization: Bearer $TOKEN_LI" -H "$J" -d '{"eligible":true}' | jq -r .review
done
# eligible   (four times)
# end

step "4. Announce, issue codes, open"
# doc: announce
curl -s -XPOST $API/assemblies/$ASSEMBLY/announce -H "$A" | jq -r .state
# announced
curl -s -XPOST $API/assemblies/$ASSEMBLY/codes -H "$A" > codes.json
jq -c '.[1]' codes.json
# {"voter":"P000001","code":"KTKY-683T-A7E6","units":["1-1-101"],"emailed":false}
jq -c '.[] | select(.voter == "P000003")' codes.json
# {"voter":"P000003","code":null,"units":["1-1-103"],"emailed":true}     (e-mailed: never shown)
refused voting_not_open curl -s -XPOST $API/assemblies/$ASSEMBLY/open -H "$A"
wait_until $OPENS
curl -s -XPOST $API/assemblies/$ASSEMBLY/open -H "$A" | jq -r .state
# open
# end

step "5. Owners vote"
# doc: vote
code_of() { jq -r --arg v "$1" '.[] | select(.voter == $v) | .code' codes.json; }
OWNER_TOKEN=$(curl -s -XPOST $API/owner-sessions -H "$J" \
     -d '{"code":"'$(code_of P000001)'","assembly_id":"'$ASSEMBLY'"}' | jq -r .token)
O="authorization: Bearer $OWNER_TOKEN"
curl -s $API/assemblies/$ASSEMBLY/ballot -H "$O" | jq -c '[.entries[].item.title]'
# ["续聘物业服务企业","选举第二届业主委员会"]          (building 3's item is not on this sheet)
curl -s -XPUT $API/assemblies/$ASSEMBLY/ballot -H "$O" -H "$J" -H "Idempotency-Key: first-sheet-P000001" -d '{"votes":[
  {"item":"'$MOTION'","choice":"yes"},
  {"item":"'$ELECTION'","choice":["王*明","刘*芳"]}]}' | jq -c '.[0] | {seq, channel, receipt}'
# {"seq":1,"channel":"web","receipt":"3dcdb711…"}
# end

# doc: many-owners
# 520 other owners vote too (none of those of the steps below), so that the quorum is met.
# Those with an e-mail address read their code in their invitation, which the secretary never
# sees: here the server's mail folder (`--mail-dir`; its files, base64 text parts) stands in
# for their mailboxes.
mailed_codes() {
  for f in "$MAIL_DIR"/*.eml; do
    if grep -qiE '^To: .*(p000227|p000250)@' "$f"; then continue; fi    # owners of the steps below
    awk '/^Content-Type: text\/plain/ {p=1} p && /^\r?$/ {b=1; next} b && /^--/ {exit} b' "$f" |
      tr -d '\r' | base64 -d 2>/dev/null | grep -o '/v/[0-9A-Z-]*' | cut -c4- || true
  done
}
until [ "$(mailed_codes | wc -l)" -ge "$(jq '[.[] | select(.emailed)] | length - 2' codes.json)" ]; do
  sleep 1                                        # until the mail worker delivered the invitations
done
mailed_codes > mailed-codes.txt
{ jq -r '.[] | select(.code != null) | select(.voter | IN("P000001","P000002","P000251") | not) | .code' codes.json
  cat mailed-codes.txt; } |
head -n 520 | while read -r CODE; do
  T=$(curl -s -XPOST $API/owner-sessions -H "$J" -d '{"code":"'$CODE'","assembly_id":"'$ASSEMBLY'"}' | jq -r .token)
  curl -s -XPUT $API/assemblies/$ASSEMBLY/ballot -H "authorization: Bearer $T" -H "$J" -d '{"votes":[
    {"item":"'$MOTION'","choice":"yes"},{"item":"'$ELECTION'","choice":["李*华","张*伟","刘*芳"]}]}' > /dev/null
done
# end

step "6. Paper ballots, proxies, transfers"
# doc: paper
PAPER=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/paper-ballots -H "$A" -H "$J" -d '{"item":"'$MOTION'",
     "unit":"1-2-102","choice":"no","received_at":"'$(at now)'","scan_ref":"箱1-0001"}' | jq -r .id)
refused same_person_confirms curl -s -XPOST $API/paper-ballots/$PAPER/confirm -H "$A"
# {"code":"same_person_confirms","message":"纸质选票须由录入人以外的另一人确认。"}
curl -s -XPOST $API/paper-ballots/$PAPER/confirm -H "authorization: Bearer $TOKEN_LI" | jq -c '{confirmed}'
# {"confirmed":true}
refused receipt_outside_window curl -s -XPOST $API/assemblies/$ASSEMBLY/paper-ballots -H "$A" -H "$J" \
     -d '{"item":"'$MOTION'","unit":"1-2-102","choice":"yes","received_at":"'$(at '+1 day')'"}'
# end

# doc: reissue
REISSUE=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/code-reissues -H "$A" -H "$J" \
     -d '{"voter":"P000002","reason":"表决票遗失"}' | jq -r .id)
refused reissue_same_person curl -s -XPOST $API/code-reissues/$REISSUE/confirm -H "$A"
# {"code":"reissue_same_person","message":"补发投票码须由申请人以外的另一名工作人员确认。"}
curl -s -XPOST $API/code-reissues/$REISSUE/confirm -H "authorization: Bearer $TOKEN_LI" | jq -c '{voter, emailed, code}'
# {"voter":"P000002","emailed":false,"code":"Q7PM-4HXW-2RTA"}      (no e-mail address: shown once, to print)
# end

# doc: proxy
curl -s -XPOST $API/assemblies/$ASSEMBLY/proxies -H "$A" -H "$J" \
     -d '{"member":"P000250","holder":"P000251","document_ref":"委托书 2026-017"}' | jq -c '{member, holder, whole_assembly}'
# {"member":"P000250","holder":"P000251","whole_assembly":true}
HOLDER="authorization: Bearer $(curl -s -XPOST $API/owner-sessions -H "$J" \
     -d '{"code":"'$(code_of P000251)'","assembly_id":"'$ASSEMBLY'"}' | jq -r .token)"
curl -s -XPUT $API/assemblies/$ASSEMBLY/ballot -H "$HOLDER" -H "$J" \
     -d '{"votes":[{"item":"'$MOTION'","choice":"yes","on_behalf_of":"P000250"}]}' | jq -c '.[0] | {voter, channel}'
# {"voter":"P000250","channel":"proxy"}
# end

# doc: transfer
TRANSFER=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/transfers -H "$A" -H "$J" \
     -d '{"unit":"5-2-302","to_voter":"P009001","deed_ref":"沪(2026)浦字第012345号"}' | jq -r .id)
curl -s $API/assemblies/$ASSEMBLY/transfers -H "$A" | jq -c '.[0] | {unit, from_voter, to_voter, state}'
# {"unit":"5-2-302","from_voter":"P000227","to_voter":"P009001","state":"pending"}
refused transfer_same_person curl -s -XPOST $API/transfers/$TRANSFER/confirm -H "$A"
curl -s -XPOST $API/transfers/$TRANSFER/confirm -H "authorization: Bearer $TOKEN_LI" | jq -c '{state}'
# {"state":"confirmed"}
curl -s -XPOST $API/assemblies/$ASSEMBLY/codes -H "$A" -H "$J" -d '{"voters":["P009001"]}' > new-owner.json
jq -c '.[0] | {voter, units}' new-owner.json
# {"voter":"P009001","units":["5-2-302"]}
refused deed_ref_unclear curl -s -XPOST $API/assemblies/$ASSEMBLY/transfers -H "$A" -H "$J" \
     -d '{"unit":"5-2-304","to_voter":"P009002","deed_ref":"随便写"}'
# end

step "7. Turnout, closing, results"
# doc: close
curl -s $API/assemblies/$ASSEMBLY/turnout -H "$A" | jq -c '.[0] | {title, participation}'
# {"title":"续聘物业服务企业","participation":{"area":"…","heads":524,"units":…,"met":true}}
refused result_before_closing curl -s $API/items/$MOTION/result -H "$A"
refused closing_early curl -s -XPOST $API/assemblies/$ASSEMBLY/close -H "$A"
curl -s -XPOST $API/assemblies/$ASSEMBLY/close -H "$A" -H "$J" -d '{"reason":"全部选票已收回"}' | jq -r .state
# closed
curl -s $API/items/$MOTION/result -H "$A" | jq -c '{outcome, participation, approval}'
# {"outcome":"passed","participation":{…,"met":true},"approval":{"met":true}}
curl -s $API/items/$ELECTION/result -H "$A" | jq -c '{outcome, elected}'
# {"outcome":"valid","elected":["李*华","张*伟","刘*芳"]}
# end

step "8. The audit log"
# doc: audit
curl -s "$API/estates/$ESTATE/audit?after=0&limit=1" -H "$A" | jq -c '.[0] | {seq, action, detail}'
# {"seq":1,"action":"estate.created","detail":{"name":"湖畔花园","trial":true,"min_notice_days":15,"max_extension_days":90}}
# end

step "9. Publication: preliminary, an objection, final"
# doc: publication
curl -s $API/assemblies/$ASSEMBLY/publication -H "$A" | jq -c '{stage, objections_until}'
# {"stage":"preliminary","objections_until":"…"}        (one minute: a trial estate's objection_minutes)
OBJECTION=$(curl -s -XPOST $API/assemblies/$ASSEMBLY/objections -H "$O" -H "$J" \
     -d '{"item":"'$MOTION'","text":"我的选票是同意，请核对。"}' | jq -r .id)
refused objection_period_running curl -s -XPOST $API/assemblies/$ASSEMBLY/publication/final -H "$A"
curl -s -XPOST $API/objections/$OBJECTION/resolve -H "$A" -H "$J" \
     -d '{"resolution":"rejected","reason":"记录与选票一致：同意。"}' | jq -c '{status, reason}'
# {"status":"rejected","reason":"记录与选票一致：同意。"}
wait_until $(curl -s $API/assemblies/$ASSEMBLY/publication -H "$A" | jq -r .objections_until)
curl -s -XPOST $API/assemblies/$ASSEMBLY/publication/final -H "$A" | jq -c '{stage: .publication.stage, exports: [.exports[].name]}'
# {"stage":"final","exports":["gongjue-01a2….json","gongjue-01a2….json","gongjue-01a2….json"]}
curl -s $API/assemblies/$ASSEMBLY/announcement.csv -H "$A" > announcement.csv
head -n 2 announcement.csv
# 试用/TRIAL：这是试用小区的演练，不是真实的业主大会表决，结果没有任何效力。,,,,,,,,,,,,,,,
# 表决事项,表决结果,部分,项目,专有部分面积（平方米）,占比,,人数,占比,,户数,房号,业主,表决意见,方式,回执号
# end

step "10. The signed export, verified offline"
# doc: export
curl -s $API/items/$MOTION/export -H "$A" > motion.json
curl -s $API/items/$MOTION/export.jws -H "$A" > motion.json.jws
curl -s $API/../../.well-known/jwks.json > jwks.json
jq -r .title motion.json
# [试用/TRIAL] 续聘物业服务企业
gongjue verify motion.json
# TRIAL: 试用/TRIAL：这是试用小区的演练，不是真实的业主大会表决，结果没有任何效力。
# keys: jwks.json
# signature: ok (EdDSA, kid …, issuer gongjue:estate:…)
# digest: ok (sha256 …)
# recount: ok (… figures match)
# item …: outcome passed
# audit head when the result became final: entry … …
gongjue tally motion.json | jq -c '{outcome}'
# {"outcome":"passed"}
# end

step "done: the whole cycle ran; files in $WORK"
