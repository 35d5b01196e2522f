"""An assembly driven through a Python client generated from /api/openapi.json.

Run by .ci/generated_client.sh with the generated package on PYTHONPATH:
    python generated_client.py BASE_URL ROSTER_CSV
Only the generated functions and models talk to the server. Every call must answer its
documented success status with the documented model; anything else stops the run with the
status and body.
"""

import datetime as dt
import io
import sys
import time

from gongjue_api_client import AuthenticatedClient, Client
from gongjue_api_client.api.assemblies import (
    add_item,
    announce,
    close,
    confirm_reissue,
    create_assembly,
    issue_codes,
    open_,
    pending_reissues,
    register_candidate,
    request_reissue,
    review_candidate,
)
from gongjue_api_client.api.ballots import cast, confirm_paper, enter_paper, my_ballot
from gongjue_api_client.api.estates import audit, audit_verify, import_roster, units
from gongjue_api_client.api.publication import (
    announcement_csv,
    get_publication,
    my_record,
    publish_final,
)
from gongjue_api_client.api.results import bundle, healthz, jwks, result, signature, turnout
from gongjue_api_client.api.sessions import login, owner_login
from gongjue_api_client.models import (
    AssemblyState,
    CastRequest,
    CloseRequest,
    CodeReissueRequest,
    ConsultationAnswers,
    ConsultationRequest,
    ConsultationRequestKind,
    ElectionRequest,
    ElectionRequestKind,
    ElectionResult,
    LoginRequest,
    MotionRequest,
    MotionRequestKind,
    MotionChoice,
    MotionResult,
    NewAssemblyRequest,
    OwnerLoginRequest,
    PaperBallotRequest,
    Question,
    RegisterCandidate,
    ReviewCandidate,
    Role,
    ConsultationResult,
    Vote,
)
from gongjue_api_client.types import File

BASE, ROSTER = sys.argv[1], sys.argv[2]


def ok(response, status, model=None):
    """The response's parsed body, after checking its status (and model, when given)."""
    if response.status_code != status:
        raise SystemExit(
            f"expected {status}, got {int(response.status_code)}: {response.content[:800]!r}"
        )
    if model is not None and not isinstance(response.parsed, model):
        raise SystemExit(f"expected a {model.__name__}, got {type(response.parsed).__name__}")
    return response.parsed


def step(text):
    print(f"  {text}", flush=True)


public = Client(base_url=BASE, raise_on_unexpected_status=True)
health = ok(healthz.sync_detailed(client=public), 200)
assert health.status == "ok", health

session = ok(
    login.sync_detailed(
        client=public,
        body=LoginRequest(login="wang", password="generated-client-wang-2026"),
    ),
    200,
)
assert session.role == Role.SECRETARY, session.role
estate = session.estate_id
wang = AuthenticatedClient(base_url=BASE, token=session.token, raise_on_unexpected_status=True)
li_session = ok(
    login.sync_detailed(
        client=public, body=LoginRequest(login="li", password="generated-client-li-2026")
    ),
    200,
)
li = AuthenticatedClient(base_url=BASE, token=li_session.token, raise_on_unexpected_status=True)
step(f"signed in as wang and li (estate {estate})")

with open(ROSTER, "rb") as f:
    roster_bytes = f.read()
report = ok(
    import_roster.sync_detailed(
        estate,
        client=wang,
        body=File(payload=io.BytesIO(roster_bytes), file_name="lakeside.csv"),
        name="lakeside.csv",
    ),
    200,
)
assert report.units > 0 and report.roster_version == 1, report
unit_list = ok(units.sync_detailed(estate, client=wang), 200)
assert len(unit_list) == report.units
step(f"roster imported: {report.units} units, {report.total_area} m²")

now = dt.datetime.now(dt.timezone.utc)
assembly = ok(
    create_assembly.sync_detailed(
        estate,
        client=wang,
        body=NewAssemblyRequest(
            title="2026年第一次业主大会会议",
            opens_at=now + dt.timedelta(seconds=3),
            closes_at=now + dt.timedelta(hours=2),
            notice_days=0,
            objection_days=0,
            ballots_changeable=True,
        ),
    ),
    201,
)
assert assembly.state == AssemblyState.DRAFT
motion = ok(
    add_item.sync_detailed(
        assembly.id,
        client=wang,
        body=MotionRequest(kind=MotionRequestKind.MOTION, title="续聘物业服务企业", matter=4),
    ),
    201,
)
election = ok(
    add_item.sync_detailed(
        assembly.id,
        client=wang,
        body=ElectionRequest(
            kind=ElectionRequestKind.ELECTION,
            title="选举业主委员会委员",
            seats=1,
            candidates=["王一", "李二"],
        ),
    ),
    201,
)
consultation = ok(
    add_item.sync_detailed(
        assembly.id,
        client=wang,
        body=ConsultationRequest(
            kind=ConsultationRequestKind.CONSULTATION,
            title="停车位安排",
            questions=[Question(id="方案", options=["甲方案", "乙方案"])],
        ),
    ),
    201,
)
step("assembly created with a motion, an election and a consultation")

# Each candidate registered by wang and found eligible by li: announcing requires it.
declarations = {"本小区业主本人（非仅为物业使用人）": True, "无拖欠物业服务费": True, "无违法搭建": True}
for name in ["王一", "李二"]:
    entry = ok(
        register_candidate.sync_detailed(
            election.id,
            client=wang,
            body=RegisterCandidate.from_dict(
                {
                    "name": name,
                    "units": [unit_list[0].unit],
                    "statement": f"{name}：愿为业主服务。",
                    "nominated_by": "业主联名推荐",
                    "declarations": declarations,
                }
            ),
        ),
        201,
    )
    reviewed = ok(
        review_candidate.sync_detailed(entry.id, client=li, body=ReviewCandidate(eligible=True)),
        200,
    )
    assert reviewed.review == "eligible", reviewed
step("candidates registered by one secretary, found eligible by the other")

ok(announce.sync_detailed(assembly.id, client=wang), 200)
time.sleep(max(0.0, (assembly.opens_at - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 0.5)
opened = ok(open_.sync_detailed(assembly.id, client=wang), 200)
assert opened.state == AssemblyState.OPEN
# No body: the optional body is left out, as the document allows.
codes = ok(issue_codes.sync_detailed(assembly.id, client=wang), 201)
# A code e-mailed to its owner is never shown to staff; only the codes to print are answered.
emailed = [c for c in codes if c.emailed]
printed = [c for c in codes if not c.emailed]
assert emailed and all(not isinstance(c.code, str) for c in emailed), emailed[:3]
assert all(isinstance(c.code, str) for c in printed), printed[:3]
step(f"announced, opened, {len(codes)} codes issued ({len(emailed)} by e-mail, not shown)")

first, second, third = printed[0], printed[1], printed[2]
owner_session = ok(
    owner_login.sync_detailed(
        client=public, body=OwnerLoginRequest(code=first.code, assembly_id=assembly.id)
    ),
    200,
)
assert owner_session.role == Role.OWNER
owner = AuthenticatedClient(
    base_url=BASE, token=owner_session.token, raise_on_unexpected_status=True
)
sheet = ok(my_ballot.sync_detailed(assembly.id, client=owner), 200)
assert {e.item.id for e in sheet.entries} == {motion.id, election.id, consultation.id}, sheet
receipts = ok(
    cast.sync_detailed(
        assembly.id,
        client=owner,
        body=CastRequest(
            votes=[
                Vote(item=motion.id, choice=MotionChoice.YES),
                Vote(item=election.id, choice=["王一"]),
                Vote(
                    item=consultation.id,
                    choice=ConsultationAnswers.from_dict({"方案": ["甲方案"]}),
                ),
            ]
        ),
        idempotency_key="generated-client-1",
    ),
    200,
)
assert len(receipts) == 3 and all(r.seq == 1 for r in receipts), receipts
step(f"owner {first.voter} voted on the web")

paper = ok(
    enter_paper.sync_detailed(
        assembly.id,
        client=wang,
        body=PaperBallotRequest(
            item=motion.id,
            voter=second.voter,
            choice=MotionChoice.NO,
            received_at=dt.datetime.now(dt.timezone.utc),
        ),
    ),
    201,
)
assert not paper.confirmed
confirmed = ok(confirm_paper.sync_detailed(paper.id, client=li), 200)
assert confirmed.confirmed
step(f"paper ballot of {second.voter} entered by wang, confirmed by li")

# A lost code: wang asks for a re-issue, which changes nothing until li confirms it.
asked = ok(
    request_reissue.sync_detailed(
        assembly.id, client=wang, body=CodeReissueRequest(reason="表决票遗失", voter=third.voter)
    ),
    201,
)
assert [r.id for r in ok(pending_reissues.sync_detailed(assembly.id, client=li), 200)] == [asked.id]
ok(owner_login.sync_detailed(client=public, body=OwnerLoginRequest(code=third.code)), 200)
reissued = ok(confirm_reissue.sync_detailed(asked.id, client=li), 200)
assert reissued.emailed is False and isinstance(reissued.code, str), reissued
refused = owner_login.sync_detailed(client=public, body=OwnerLoginRequest(code=third.code))
assert refused.status_code == 401, refused.status_code
ok(owner_login.sync_detailed(client=public, body=OwnerLoginRequest(code=reissued.code)), 200)
step(f"code of {third.voter} re-issued: asked by wang, confirmed by li")

board = ok(turnout.sync_detailed(assembly.id, client=wang), 200)
motion_turnout = next(t for t in board if t.item == motion.id)
assert motion_turnout.participation.heads == 2, motion_turnout
closed = ok(
    close.sync_detailed(
        assembly.id, client=wang, body=CloseRequest(reason="generated client: all ballots in")
    ),
    200,
)
assert closed.state == AssemblyState.CLOSED
step("turnout read, assembly closed early with a reason")

motion_result = ok(result.sync_detailed(motion.id, client=owner), 200, MotionResult)
assert motion_result.choices.yes.heads == 1 and motion_result.choices.no.heads == 1
ok(result.sync_detailed(election.id, client=wang), 200, ElectionResult)
ok(result.sync_detailed(consultation.id, client=wang), 200, ConsultationResult)
step(f"results read; motion: {motion_result.outcome.value}")

publication = ok(get_publication.sync_detailed(assembly.id, client=owner), 200)
assert publication.stage.value == "preliminary", publication.stage
mine = ok(my_record.sync_detailed(assembly.id, client=owner), 200)
assert any(r.item == motion.id and r.choice == "yes" for r in mine), mine
final = ok(publish_final.sync_detailed(assembly.id, client=wang), 200)
assert final.publication.stage.value == "final" and len(final.exports) == 3
step("publication read by the owner, then published as final")

exported = ok(bundle.sync_detailed(motion.id, client=wang), 200)
assert exported.format_.value == "gongjue-tally/1", exported
jws = signature.sync_detailed(motion.id, client=wang)
assert jws.status_code == 200 and jws.content.count(b".") == 2, jws.content[:80]
csv = announcement_csv.sync_detailed(assembly.id, client=wang)
assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbf"), csv.content[:80]
keys = ok(jwks.sync_detailed(client=public), 200)
assert keys.keys and all(k.kid and k.x for k in keys.keys), keys
report = ok(audit_verify.sync_detailed(estate, client=wang), 200)
assert report.ok, report
log, after = [], 0
while True:  # the whole chain, a page (at most 1000 entries) at a time
    page = ok(audit.sync_detailed(estate, client=wang, after=after, limit=1000), 200)
    log.extend(page)
    if len(page) < 1000:
        break
    after = page[-1].seq
assert any(e.action == "publication.final" for e in log), [e.action for e in log][-5:]
assert sum(e.action == "code.printed" for e in log) == len(printed) + 1, "each code shown, audited"
assert any(e.action == "code.reissue_confirmed" for e in log)
step("export, signature, announcement, keys and the audit check read")
print("generated client: the whole assembly ran through the generated functions")
