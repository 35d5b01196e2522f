### Gongjue's messages in English (en): every text a user reads, in Project Fluent syntax
### (https://projectfluent.org/fluent/guide/). Its twin is ../zh-CN/gongjue.ftl; a new language is
### a new folder beside these two with a file of the same name.
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
unauthenticated = Please sign in first.
bad_token = Your session is invalid or has expired; please sign in again.
bad_credentials = Wrong login or password.
bad_code = This voting code is wrong or has been revoked.
too_many_attempts = Too many failed attempts; please try again later.
forbidden = You are not allowed to do this.
other_estate = You have no access to this estate.
staff_only = Only staff may do this.
owners_only = Only an owner signed in with a voting code may do this.
read_only_role = Your role may read but not change anything.
malformed_body = The request body is malformed.
body_too_large = The request body is too large.
unknown_field = The request has a field that is not known.
invalid_value = A value in the request is not valid.
no_route = There is no such address.
not_found = The requested record does not exist.
conflict = This cannot be done in the current state.
unavailable = The service is busy; please retry shortly.
internal = Internal error; it has been logged.
roster_invalid = The roster has errors; nothing was imported.
notice_too_short = The notice period before voting opens is shorter than required.
notice_below_minimum = An assembly with binding items needs at least the notice its estate's rules require.
trial_only = Periods in minutes are for trial estates only.
# The marker of everything a trial estate produces: pages, notices, sheets, exports.
trial = TRIAL/试用
# The banner of a trial estate's pages.
trial_banner = TRIAL/试用: a practice run of a trial estate, not a real owners' vote; its results bind no one.
voting_not_open = Voting has not opened yet.
voting_closed = Voting has closed.
closing_early = The closing time has not come; closing early needs a reason.
receipt_outside_window = The paper ballot's receipt time is outside the voting window.
same_person_confirms = A paper ballot must be confirmed by someone other than who entered it.
## issue 17: transfers of a unit's voting right (a second staff member confirms; the seller is told)
transfer_same_person = A transfer must be confirmed by a staff member other than the one who recorded it.
seller_voted = The seller has already voted: the unit's vote stays with them and the transfer cannot take effect.
transfer_merges_members = The new owner's id already belongs to another owner of this assembly: their units and this one would vote as one person (one head fewer). If that owner really bought the unit, say so with buyer_is_member; otherwise check the id.
deed_ref_unclear = Give the number of the deed or the sale contract (at least 6 characters, with digits).
transfer_not_pending = This transfer is confirmed already.
transfer_unit_moved = The unit no longer votes with the seller (another transfer may have taken effect).
mail_transfer_pending = A transfer of your unit's vote was recorded and waits for confirmation
mail_transfer_confirmed = Your unit's vote has moved to its new owner
ballot_not_changeable = This assembly does not allow changing a ballot.
own_ballot_supersedes = The member has voted in person; the proxy's ballot cannot replace it.
confirmed_ballot = A confirmed paper ballot can only be changed by a correction with a reason.

## issue 17: ballots (order of versions, corrections after closing).
paper_older_than_ballot = This paper ballot was received before the member's current ballot was cast (for example a later online vote): the later ballot stands, so it cannot be entered.
paper_ballot_superseded = The member voted again after this paper ballot was entered: it is replaced and can no longer be confirmed.
correction_needs_objection = After voting closed, a correction can only be entered to answer an open objection of this member about this item.
not_in_electorate = You are not in the electorate of this item.
no_proxy = You hold no proxy of this member for this item.
items_only_in_draft = No items may be added after the assembly was announced.
result_before_closing = The result is available after voting closes.
estate_needed = You hold roles in several estates; name the estate.
invalid_choice = This choice does not fit the item.

## issue 17: voting codes (a code e-mailed to an owner is never shown to staff; a re-issue
## is confirmed by a second staff member; the owner sees what happened to their code).
code_already_issued = This owner already had a voting code. A new one is a re-issue: one staff member asks, another confirms.
no_code_to_reissue = This owner has no voting code yet: issue one, there is nothing to re-issue.
reissue_pending = A re-issue of this owner's code is already waiting for confirmation.
reissue_same_person = A re-issue must be confirmed by a staff member other than the one who asked for it.
reissue_confirmed = This re-issue is confirmed already.
mail_code_reissued = A new voting code for you; the old one no longer works
web-codes-title = Re-issue voting codes
web-codes-help = When an owner has lost their code: one staff member asks for a re-issue, another checks and confirms it. Until then the old code keeps working; once confirmed it stops. An owner with an e-mail address gets the new code only by e-mail, never shown to staff; for an owner without one, the new code is shown once to the person who confirms, to print and hand over.
web-codes-member = Owner id or unit
web-codes-reason = Reason (the owner is told)
web-codes-request = Ask for a re-issue
web-codes-pending = Re-issues waiting for confirmation
web-codes-none = No re-issue is waiting.
web-codes-requested = Asked. Another staff member must check and confirm it; until then the old code keeps working.
web-codes-emailed = Confirmed: the new code was sent to the owner's e-mail address; the old one no longer works.
web-codes-asked_at = Asked at
web-codes-print_now = This is a re-issued code; the old one no longer works. It is shown only this once: print it now and hand it to the owner.
web-sheet-emailed = Your voting code was sent to your e-mail address (to protect your vote, staff cannot see it).
web-sheets-none = Every owner already had a code: there is no new sheet to print. For a lost code, ask for a re-issue.
web-code-history = Your voting code
web-code-history_help = If this does not match what happened (you did not ask for a new code, or never got a paper sheet), tell the owners' committee at once.
web-code-emailed = { $at }: a code was issued and sent to your e-mail address.
web-code-printed = { $at }: a code was issued and printed on a paper sheet by a staff member (who saw the code).
web-code-issued = { $at }: a code was issued.
web-code-revoked = { $at }: a code stopped working.
web-code-reissue_requested = { $at }: a staff member asked for a new code for you.
web-code-reissued = { $at }: a second staff member confirmed the new code.

## Setup mistakes refused when made, and bounds of numbers.
scope_unknown = The scope names a zone, building or stairwell that is not on the roster.
empty_electorate = No unit is in this item's scope: nobody could vote on it.
concurrent_without_groups = Concurrent majorities need every unit in scope to have that zone or building on the roster.
setup_cannot_count = The item could not be counted as set up; change this field.
impossible_setup = This setting can never work (e.g. more seats than candidates, or a threshold that can never be met).
out_of_range = This number is outside the allowed range.

## Audit and export: the command line, the two-stage publication, the announcement (公告).
cli_no_keys = This estate has no signing key yet (one is made at its first export).
cli_key_active = active
cli_key_retired = retired
cli_key_rotated = New signing key made; the old public keys stay published, so old exports still verify:
cli_chain_intact = audit chain intact
cli_chain_broken = audit chain BROKEN
cli_ballots_match = ballots match the audit log
cli_ballot_mismatch = ballot differs from the audit log
cli_entries = entries
cli_entry = entry
cli_no_estate = no such estate
not_closed_yet = Publication starts after voting closes.
objection_period_over = The objection period is over; no more objections can be filed.
objection_still_open = Your objection about this item is still being handled; you can file another once it is answered.
objections_per_item_used_up = You have filed the most objections allowed about this item (5).
too_frequent = Too many submissions in a short time; please try again later.
objection_period_running = The objection period has not ended; the final result cannot be published yet.
objections_unresolved = Some objections are unresolved; the final result cannot be published.
already_final = The final result has been published and cannot change.
objection_resolved = This objection has already been resolved.
correction_needs_ballot = A correction needs the corrected ballot.
ann_title = Announcement of the voting results
ann_preliminary = Preliminary result (objection period)
ann_final = Final result
ann_item = Item
ann_outcome = Outcome
ann_measure = Figure
ann_area = Area (m²)
ann_heads = Members
ann_units = Units
ann_share = Share
ann_total = Total
ann_participation = Took part
ann_unit = Unit
ann_owner = Owner
ann_choice = Choice
ann_channel = Channel
ann_receipt = Receipt
ann_no_ballot = did not vote
ann_roll_pseudonymous = This assembly does not publish a per-unit roll; owners can check their ballot by its receipt.
ann_objections_until = Objections until
ann_yes = Yes
ann_no = No
ann_abstain = Abstain
ann_invalid = Invalid
ann_passed = Passed
ann_rejected = Rejected
ann_no_quorum = Quorum not met
ann_valid = Election valid
ann_elected = Elected
ann_section = Section
ann_figures = figures
ann_roll = roll
ann_printed = Generated

## issue 17: keys and files
signing_key_unreadable = The server cannot read this estate's signing key, so it cannot sign the export now. Ask the operator: the service must run with the secret file the keys were stored under.
cli_key_unreadable = Signing key { $kid } of estate { $estate } cannot be unwrapped with the secret file { $secret }: the database's keys were encrypted under another secret file. Nothing was changed. Start with the secret file the database was made under (restore it together with the backup). If that secret is lost for good, retire the key: gongjue keys rotate --estate { $estate } --replace-unreadable (the exports it signed still verify: its public key stays published). If you have just changed the secret file, run: gongjue keys rewrap --old-secret-file OLD_FILE
cli_key_unreadable_retired = Retired signing key { $kid } of estate { $estate } cannot be unwrapped with this secret file; it no longer signs, and its public key stays published.
cli_keys_wrapped = Signing keys stored in plaintext by an earlier version are now encrypted under the secret file: { $kids }
cli_keys_rewrapped = Signing keys re-encrypted under the new secret file: { $n } (already under it: { $already }). Backups made before now need the old secret file: keep it as long as you keep them.
cli_backup_plaintext_keys = This database holds signing keys of an earlier version in plaintext, and the secret file to encrypt them is not there: { $secret }. Nothing was copied. Give --secret-file (the one gongjue serve uses), or start gongjue serve once.
cli_mode_narrowed = Access to { $path } narrowed to its owner: mode { $was } → { $now }

## Web pages: the owners' form and the staff pages.
web-abstain = Abstain
web-app_name = Gongjue · owners' assembly vote
web-area = Area
web-assemblies = Assemblies
web-back = Previous
web-back_to_sheet = Back to the ballot
web-building = Building
web-by_building = By building
web-by_zone = By zone
web-change_choices = See or change my choices
web-change_until = You may come back and change your choices until
web-channel_paper = paper ballot
web-channel_proxy = cast by proxy
web-channel_web = voted online
web-closes_at = Voting closes:
web-code_help = Type the voting code printed on your notice or ballot sheet (case, spaces and dashes do not matter).
web-code_label = Voting code
web-consultation_rule = This is a consultation, not a vote: the answers inform the owners' committee.
web-csrf = This page has expired or did not come from this site; nothing was done. Please open the page again and retry.
web-done_help = Your choices are recorded.
web-done_title = Your vote is recorded
web-edit = Change
web-enter_code = Enter your voting code
web-error_title = This could not be done
web-for_member = On behalf of { $name } (owner { $id }) · proxy vote
web-for_yourself = Your own vote
## issue 17: the voting link asks before it signs in; the ballot pages name their units
web-link_title = Check the units of this code
# $units: the unit numbers, with the owner's name masked as on the public roll
web-link_units = This voting code votes for: { $units }
web-link_confirm = These are my units: continue
web-link_not_mine = If these are not your units, do not continue: just close this page.
# $units: the units the browser votes for now; $new: the units of the link's code
web-link_signed_in = You are signed in, voting for { $units }. Continuing switches to { $new }.
web-link_stay = Do not switch: keep voting for { $units }
web-link_check = You opened a voting link. Press the button to see which units its code is for, and continue only if they are yours.
web-link_show = Show the units
web-voting_for = This ballot votes for: { $units }
web-also_for = Also voting by proxy for: { $units }
web-heads = Owners
web-home = Home
web-home_intro = Owners vote online with the code printed on the notice or ballot sheet.
web-invalid = Spoilt
web-login = Login
web-mark_up_to = Mark up to { $n } candidates, or abstain.
web-next = Next
web-no = No
web-no_assemblies = No assembly yet.
web-no_choice = Not chosen (no vote on this item)
web-no_items = There is no item you may vote on.
web-not_open_yet = Turnout shows once voting is open.
web-not_voted = Not voted yet
web-not_voted_yet = Members who have not voted yet
web-not_yet_counted = counted once a second person confirms it
web-nothing_chosen = You have not chosen anything yet. Choose at least one item, or press Change.
web-password = Password
web-pick_up_to = Pick up to { $n }
web-quorum_line = The black line is the quorum; green means reached, red not yet.
web-receipt = Receipt number:
web-record_intro = Voting has closed. This is what was recorded for you (online or on paper).
web-recorded = Recorded:
web-review_title = Check all your choices
web-rule_label = How it passes:{" "}
web-sheet_changed = The ballot sheet has changed; please start again.
web-sign_in = Continue
web-sign_out = Sign out
web-staff_sign_in = Staff sign-in
web-start_voting = Start voting
web-state_announced = Announced
web-state_cancelled = Cancelled
web-state_closed = Closed
web-state_draft = Draft
web-state_open = Open
web-submit = Submit my vote
web-submit_help = After submitting you get a receipt number.
web-to_review = Review all choices
web-too_many_marks = Mark at most { $n } candidates, please remove some.
web-turnout = Turnout
web-yes = Yes
web-your_choice = Your choice:{" "}
web-unit_not_found = This unit is in no item of this assembly; check building-stairwell-room.
web-paper_title = Enter a paper ballot
web-paper_entered = The paper ballot of { $unit } is entered; it counts once another staff member confirms it.
web-received_invalid = The time of receipt is not a valid date and time.
web-confirmed = Confirmed: the ballot now counts.
web-confirm_queue = Paper ballots to confirm
web-unit = Unit (building-stairwell-room)
web-search = Find
web-received_at = Received at (Beijing time)
web-scan_ref = Scan or filing reference
web-correction_reason = Reason of correction (only to correct a confirmed ballot)
web-enter_paper = Enter
web-confirm_help = Check each entry against the paper, then press Confirm. Nobody confirms their own entry.
web-confirm = Confirm
web-queue_empty = No paper ballot is waiting.
web-roster_title = Owner roster
web-roster_now = Current roster version
web-units_word = units
web-no_file = Choose the roster file to import.
web-line = Line
web-column = Column
web-problem = Problem
web-imported = Roster imported
web-added = Added
web-removed = Removed
web-changed = Changed
web-note_word = Note
web-roster_file = Roster file (CSV or XLSX)
web-roster_help = Required columns: building, room, area, owner id; optional: zone, stairwell, floor, name, phone, email. With any error nothing is imported.
web-import = Import
web-new_assembly = New assembly
web-title = Title
web-opens_at = Voting opens (Beijing time)
web-closes_at_label = Voting closes (Beijing time)
web-notice_days = Days of notice before voting opens (rules of procedure)
web-objection_days = Days the preliminary result is open to objections
web-objection_minutes = Trial: the objection period in minutes instead (days are then ignored)
web-public_roll = The rules of procedure make each unit's vote public (names masked)
web-changeable = Owners may change their ballot until closing
web-create = Create
web-motion = Motion
web-election = Election
web-consultation = Consultation
web-zones = Zones
web-buildings = Buildings
web-stairwells = Stairwells
web-whole_estate = The whole estate
web-seats = Seats
web-items = Items
web-no_items_yet = No item yet.
web-add_item = Add the item
web-kind = Kind
web-full_text = Full text (for an election, the candidates' statements)
web-matter = Matter (Civil Code art. 278); it decides the rule
web-candidates = Candidates (one per line; elections only)
web-questions = Questions (one per line: question: option / option; consultations only)
web-scope = Who votes
web-announce_help = After announcing no item can be added; the notice period must pass before voting opens.
web-announce = Announce
web-open = Open voting
web-close_reason = Reason to close early (required before the closing time)
web-close = Close voting
web-passed = Passed
web-rejected = Not passed
web-no_quorum = Too few took part (area or heads): no valid decision
web-elected = Elected:{" "}
web-tie = Tied, to be decided separately:{" "}
web-unfilled = Seats left unfilled (new election)
web-consulted = Consultation complete (no decision)
web-results = Results
web-announcement_link = Public announcement (owners' names masked)
web-participants = Members who took part (names masked)
web-notice = Notice of the assembly
web-announced_at = Announced on
web-how_to_vote = How to vote: online with the code on your ballot sheet (scan the QR code or open this address), or put the paper sheet in the ballot box at the management office. Address:
web-agenda = Agenda
web-ballot_sheets = Issue codes and print the ballot sheets (one per member, with code and QR code)
web-print_help = Use the browser's Print to print or save as PDF (A4, one page per member). The codes are shown this once.
web-signature = Owner's signature:
web-print = Print the notice and ballot sheets
web-reissue_warning = Note: sheets are made only for owners who have no code yet. For an owner without an e-mail address the code is printed on the sheet and shown only this once; every printed code is recorded in the audit log and shown on the owner's own ballot page. An owner with an address gets the code only by e-mail; their sheet does not show it. For a lost code, ask for a re-issue.
web-whole_assembly = Every item
web-some_items = Some items
web-proxies = Proxies
web-document_ref = Authorization reference
web-no_proxies = No proxy recorded yet.
web-record_proxy = Record the proxy
web-proxy_member = Member giving the proxy (owner id)
web-proxy_holder = Proxy holder (owner id; votes with their own code)
web-proxy_items = Items covered (none ticked: every item)
web-estate_id = Estate id (you hold roles in several estates)
web-live_help = Voting is open: this page refreshes itself every minute.
web-outcome = Result:{" "}

## Web pages: the publication of results.
web-pub-title = Publication and objections
web-pub-preliminary = Preliminary result, open to objections until{" "}
web-pub-final = Final result published on{" "}
web-pub-record_link = See the published result: check your record and receipt, or file an objection
web-pub-your_record = What was recorded for you
web-pub-units = Units:{" "}
web-pub-object = File an objection
web-pub-object_help = If you think something above was recorded wrongly (for example a paper ballot entered wrongly), choose the item and say what is wrong. The secretary's answer will appear on this page.
web-pub-objection_item = The item your objection is about
web-pub-objection_text = What was recorded wrongly?
web-pub-objection_filed = Your objection is filed.
web-pub-your_objections = Your objections
web-pub-status_open = Waiting for the secretary
web-pub-status_rejected = Rejected (the record stands)
web-pub-status_corrected = Corrected
web-pub-reason = Reason:{" "}
web-pub-roll_link = Published list: find your receipt by unit
web-pub-roll_title = Published list
web-pub-roll_help = Find your unit and your receipt number in the list below to check that your ballot is in the count.
web-pub-your_unit = (your unit)
web-pub-objections = Objections
web-pub-no_objections = No objections.
web-pub-filed_at = Filed on{" "}
web-pub-reject = Reject (the record stands)
web-pub-correct = Corrected (choose the confirmed correction paper ballot)
web-pub-correction_ballot = The correction paper ballot
web-pub-no_correction_ballot = No confirmed correction ballot yet. To correct, enter a correction paper ballot first; another person then confirms it.
web-pub-enter_correction = Enter a correction paper ballot
web-pub-correction_for = Correction on the owner's objection:{" "}
web-pub-resolve = Resolve
web-pub-resolve_reason = Reason (shown to the owner, kept in the audit log)
web-pub-resolved = The objection is resolved.
web-pub-publish_final = Publish the final result and sign the exports
web-pub-cannot_publish = The final result cannot be published yet:{" "}
web-pub-published = The final result is published and every item's export is signed.
web-pub-downloads = Signed exports (for auditors)
web-pub-downloads_later = The signed exports can be downloaded once the final result is published: objections may still correct the preliminary result.
web-pub-announcement_csv = Announcement (CSV spreadsheet)
web-pub-owner = Owner:{" "}

## Command line: backups.
cli_backup_done = The database has been copied, consistently, to
cli_backup_secret = Keep the secret file (--secret-file of serve) with the backup: without it, issued voting codes stop working.
cli_backup_exists = The backup target already exists; nothing was overwritten:
cli_backup_postgres = A PostgreSQL database is backed up with pg_dump (e.g. pg_dump -Fc -f gongjue.dump DATABASE_URL) and restored with pg_restore.

## Notices by e-mail: subjects, words of the messages, refusals of the routes.
mail_announcement = Notice of the owners' assembly
mail_invitation = Your invitation and voting code
mail_reminder = Reminder: you have not voted yet
mail_result = Results of the owners' assembly
mail_ballot_recorded = A ballot was recorded for you: please check
mail_dear_owner = owner
item_motion = motion
item_election = election
item_consultation = consultation
outcome_passed = passed
outcome_rejected = rejected
outcome_no_quorum = the quorum was not reached
outcome_elected = elected
outcome_nobody_elected = nobody was elected
outcome_counted = counted
channel_paper = a paper ballot
channel_proxy = a ballot cast by your proxy

## issue 17: ballots (a web ballot's notice).
channel_web = an online ballot cast with your voting code
reminders_only_while_open = Reminders can be sent only while voting is open.

## Web pages: notices by e-mail.
web-mail-notices = Notices by e-mail and SMS
web-mail-outbox = Outbox
web-mail-remind = Send a reminder round to members who have not voted
web-mail-remind_help = One round per day (Beijing time): sending again the same day queues nothing new.
web-mail-publish = Publish the results by e-mail
web-mail-publish_help = Each member receives the results once: publishing again queues nothing new.
web-mail-queued = E-mails newly queued:{" "}
web-mail-emailed = Members with an address this round concerns:{" "}
web-mail-nothing_new = Nothing new: this round's e-mails were queued before.
web-mail-paper_round = Paper round (owners neither e-mail nor SMS reaches)
web-mail-paper_help = These owners receive neither e-mail nor SMS: every notice must be delivered to their door. This page prints as it is.
web-mail-no_paper = Every member has an e-mail address.
web-mail-delivered = Delivered (signature)
web-mail-preview = Preview a message
web-mail-kind = Kind
web-mail-member = Member
web-mail-language = Language
web-mail-owners_language = The owner's language
web-mail-show = Preview
web-mail-subject = Subject
web-mail-text_body = Text body
web-mail-html_body = HTML body
web-mail-recipient = Recipient
web-mail-no_address = No address (paper round)
web-mail-status = Status
web-mail-all = All
web-mail-pending = Pending
web-mail-sent = Sent
web-mail-failed = Failed
web-mail-attempts = Attempts
web-mail-last_error = Last error
web-mail-queued_at = Queued
web-mail-sent_at = Sent
web-mail-next_attempt = Next attempt
web-mail-failed_alert = messages failed: serve these owners on paper.
web-mail-empty = No messages.
web-mail-filter = Filter
web-mail-this_assembly = This assembly's messages

## Command line: privacy (erasing contact data that is no longer needed).
privacy-contacts = contacts
privacy-messages = handled messages' addresses and bodies
privacy-mail_files = mail files (.eml) past the retention period
privacy-needed_until = last needed
privacy-erased = erased
privacy-dry_run = dry run, nothing erased; would erase
privacy-nothing_due = No contact data is past its retention period.
privacy-kept_until_next_roster = The retention period is 0: contact data is kept until the next roster import, not erased by age.
privacy-erased_recipient = (erased after the retention period)

## A full disk.
storage_full = The server's storage is full; nothing was saved. Please retry later and tell the administrator.
cli_backup_no_space = The backup target's disk is full; no partial file was left:

## Sessions, the items of a draft, cancelling an assembly.
session_too_old = This session is too old to be refreshed; please sign in again.
items_fixed = The assembly is no longer a draft: its items can no longer be changed or deleted.
item_named_by_proxy = A recorded proxy names this item; revoke the proxy first.
no_items_to_announce = The assembly has no items yet: it cannot be announced (an assembly without items can never open).
cancel_not_allowed = The assembly can no longer be cancelled: voting has closed and its result is published, or it is cancelled already.
mail_cancellation = The assembly is cancelled

## Lines of a roster file that cannot be imported, or that are worth a note (the import report).
roster-not_text = the file is neither an XLSX workbook nor UTF-8, UTF-16 or GBK text
# $reason: why, as the workbook reader says (in English)
roster-unreadable = the workbook cannot be read: { $reason }
# $missing: the names of the missing columns, joined by list_separator
roster-no_header = no header row names the required columns (missing: { $missing })
# $field: the column the program looks for; $first: the header of the first column read as it
roster-ambiguous_column = column read as { $field } a second time (first: { $first })
roster-no_units = the roster has no units
roster-building_missing = building missing
roster-room_missing = room number missing
roster-area_missing = area missing
roster-area_not_positive = area must be positive
roster-area_too_many_decimals = area has more than two decimals
roster-area_not_a_number = area is not a number
roster-area_too_large = area is too large
roster-floor_not_a_number = floor is not a whole number
roster-duplicate_unit = duplicate unit { $unit } (first on line { $first_line })
roster-owner_id_missing = owner id missing
roster-email_malformed = email address is malformed
roster-control_character = the cell holds a control character (such as NUL): the export is damaged
roster-bidi_control = the cell holds a bidirectional control character (such as U+202E) that would show it other than it is
roster-owner_named_twice = owner id { $owner_id } already named { $first_name } on line { $first_line }
roster-blank_line = blank line
roster-above_header = title or note above the header row
roster-repeated_header = the header row repeated
roster-total_row = total row

## The nine matters of Civil Code art. 278 para. 1, by number, as the setup page lists them.
matter-1 = Rules of procedure of the owners' assembly
matter-2 = The management statute
matter-3 = Electing or replacing the owners' committee
matter-4 = Hiring or dismissing the property manager
matter-5 = Using the maintenance fund
matter-6 = Raising the maintenance fund
matter-7 = Rebuilding or reconstructing buildings and facilities
matter-8 = Changing the use of common parts or using them commercially
matter-9 = Other major matters of common ownership and management

## The rule an item is counted with, in words (built from its thresholds): e.g. "The floor area and
## owners taking part must each be at least two thirds of the total, and more than half of the
## participating floor area and owners must each agree."
# The three measures of a threshold.
rule-area = floor area
rule-heads = owners
rule-units = units
# Between two measures that share a threshold.
rule-measures_and = {" and "}
# $fraction: a fraction in words (三分之二, two thirds); the words of fractions are in the code.
rule-more_than = more than { $fraction }
rule-more_than_half = more than half
rule-at_least = at least { $fraction }
# Who must take part. $measures: the measures joined by rule-measures_and; $count: how many
# measures; $bound: rule-more_than, rule-more_than_half or rule-at_least.
rule-participation =
    the { $measures } taking part must { $count ->
        [1] be
       *[other] each be
    } { $bound } of the total
# Who must agree, counted among those taking part.
rule-approval_participating =
    { $bound } of the participating { $measures } must { $count ->
        [1] agree
       *[other] each agree
    }
# Who must agree, counted among all owners.
rule-approval_total =
    { $bound } of all { $measures } must { $count ->
        [1] agree
       *[other] each agree
    }
# Between the clauses of a rule.
rule-clauses_and = {", and "}
# The whole rule; its first letter is capitalised by the program.
rule-sentence = { $clauses }.

## Lists in running text.
# Between the items of a list: the choices of an owner, missing columns.
list_separator = {", "}

## Results figures in plain words, the published roll and the notice (issue 21, i21-results).
fig-area = floor area
fig-heads = owners
fig-units = households
fig-half = half
fig-need_at_least = at least { $fraction } needed
fig-need_more_than = more than { $fraction } needed
fig-subject_participating = the { $measure } taking part
fig-subject_choice = the { $measure } voting “{ $name }”
fig-subject_candidate = the { $measure } supporting { $name }
fig-subject_option = the { $measure } choosing “{ $name }”
fig-of_total = all the { $measure }
fig-of_participating = the { $measure } taking part
fig-of_respondents = the { $measure } answering this question
fig-share = { $subject } is { $share } of { $base }
fig-checked = { $figure }; { $need }
fig-met = met
fig-not_met = not met
fig-sep = { ": " }
fig-group_building = Building { $group } counted alone: { $outcome }
fig-group_zone = { $group } counted alone: { $outcome }
fig-choice = Choice
fig-candidate = Candidate
fig-option = Option
fig-elected = { $name } (elected)
fig-tied = { $name } (tied, to be decided separately)
fig-adopted = { $name } (adopted)
fig-question = { $question } ({ $heads } answered)
fig-area_column = Area
fig-heads_column = Owners
web-roll-search = Find a unit
web-roll-search_help = Type the unit number or part of it, e.g. 2-1-101
web-roll-find = Find
web-roll-yours = Your units
web-roll-found = Units matching “{ $unit }” ({ $n })
web-roll-too_many = Only the first { $n } are shown; type more of the unit number.
web-roll-no_match = No unit matches “{ $unit }”.
web-roll-all = The whole list
web-roll-page = Page { $page } of { $pages } ({ $n } units)
web-roll-prev = Previous page
web-roll-next = Next page
web-roll-pages = Pages
web-notice-scope_all = All owners vote
web-notice-scope_buildings = Only owners in building { $list } vote
web-notice-scope_zones = Only owners in { $list } vote
web-notice-scope_stairwells = Only owners of { $list } vote
web-notice-stairwell = building { $building } stairwell { $stairwell }
web-notice-candidates = Candidates ({ $n } to elect):
web-notice-question = Question { $n }: { $question }
web-notice-max_choices = Choose up to { $n }
web-notice-issuer = The owners' assembly / owners' committee of { $estate }
web-notice-date = { $date } (Beijing time)
web-notice-contact = Questions: call { $phone }
web-notice-times = All times are Beijing time.
## issue 21 (staff): dashboard, setup form, closing, error pages, roster report.
web-dash-heads_count = { $n } owners
web-dash-units_count = { $n } units
web-dash-missing = Still needs { $what }
web-dash-met = ✓ Reached
web-dash-reference = A consultation decides nothing and has no statutory quorum; the table compares it with two thirds for reference only.
web-dash-figures_at = Figures as of (Beijing time):
web-dash-refresh = Refresh
web-dash-item = Item
web-dash-quorum = Quorum
web-dash-exact = Whether the quorum is met is computed exactly from each item's rule (for two thirds: area taking part × 3 ≥ total area × 2, and likewise for owners); percentages are rounded to 0.1% for reading only. "Still needs" is the least further number of owners and the least further area, both required.
web-dash-rules = The rule of each item
web-dash-members = Owners
web-dash-not_voted = Not voted
web-dash-voted_share = Voted
web-dash-all = All (each owner once)
web-dash-building_note = An owner with units in several buildings counts once in each of those buildings but only once in all (one owner, one head), so the building rows add up to { $sum }, more than the { $total } owners in all.
web-dash-one_head = Each owner counts once, however many units they hold.
web-dash-not_voted_help = The list names the owners who still have an item to vote on, with their units, for reminders at the door or by phone; it shows nobody's choices.
web-dash-print_list = Print the list
web-dash-csv = Download the list (CSV)
web-dash-show_list = Show the list here
web-dash-people = owners
web-dash-back = Back to the turnout
web-dash-none_left = Every owner has voted.
web-dash-units = Units
web-dash-owner_name = Owner
web-dash-owner_id = Owner id
web-dash-visit = Reminder notes
web-form-field_error = { $field }: { $reason }
web-form-summary = Please correct the marked field and send again; everything you typed is kept.
web-form-whole_number = Enter a whole number.
web-form-date_time = Enter a date and a time (year-month-day hour:minute).
web-form-required = This cannot be empty.
web-form-closes_before_opens = Must be after voting opens.
web-form-range = Must be between { $min } and { $max }.
web-form-candidate_twice = The candidate on line { $n } is listed twice.
web-form-no_candidates = List at least one candidate, one per line.
web-form-seats_over_candidates = There cannot be more seats than candidates.
web-form-no_questions = Ask at least one question, one per line: "question: option / option".
web-form-question_line = Line { $n } is wrong: write "question: option / option" on each line; no question twice, no empty or repeated option.
web-form-choose_matter = Choose the matter.
web-form-choose_scope = Tick at least one part of the estate.
web-form-check = Please check this value.
web-close_confirm-title = Confirm closing the vote
web-close_confirm-early = Voting was to close at { $closes_at } (Beijing time); it closes early now. Owners who have not voted can no longer vote.
web-close_confirm-due = The closing time { $closes_at } (Beijing time) has passed.
web-close_confirm-not_voted = { $n } owners still have an item to vote on.
web-close_confirm-reason = Reason:
web-close_confirm-final = Voting cannot be reopened; the result is counted from the ballots received.
web-close_confirm-yes = Yes, close the vote
web-close_confirm-no = Do not close; go back
web-error_back = Back to the previous page
web-roster-counts = The roster in figures
web-roster-units = Units
web-roster-members = Owners (each once)
web-roster-developer = Developer's unsold units
web-roster-emails = Owners with an e-mail address
web-roster-phones = Owners with a phone number
web-roster-area = Total area
web-roster-no_email = { $n } owners without an e-mail address receive their code on paper.
web-roster-members_note = Units sharing an owner id are one owner; the developer's unsold units together are one owner.
web-roster-changes = Since the previous version
web-roster-issues = Issues by kind
web-roster-count = Count
web-roster-lines = Lines
web-roster-more = … and { $n } more
web-roster-details = Line by line
web-roster-group_duplicate = Duplicate units
web-roster-group_named_twice = One owner id under different names
## issue 21: paper (printed sheets, confirming a whole sheet, paper over a web ballot).
web-sheets-heading = Ballot sheets
web-sheet-units = Units and floor area: 
web-sheet-total_area = total { $area } m²
web-sheet-for_units = (this item counts { $units } only)
web-sheet-how_to_mark = How to mark: with a black or blue pen, tick ✓ the box before each choice. Tick no more boxes than an item allows; an item with too many ticks or illegible marks is void, and an item left blank counts as not voted.
web-sheet-pick_one = choose one
web-sheet-return = Sign this sheet and put it in the ballot box at the property management office before { $closes } (Beijing time).
web-sheet-date = Date:
web-confirm-sheet = Confirm the whole sheet
web-confirm-sheet_items = This sheet has { $n } items: check them against the paper, then confirm them at once.
web-paper-replaces_web = Note: this owner has already voted online ({ $items }; last on { $at }, Beijing time). Entering this paper ballot will replace the web ballot, provided the paper was received after { $at }; a paper ballot received earlier is refused and the web ballot stands.
web-paper-web_fixed = Note: this owner has already voted online ({ $items }; last on { $at }, Beijing time). This assembly does not allow changing a ballot: the paper ballot cannot replace the web ballot, and entering it for these items is refused.
## Owner pages (issue 21, i21-owner): larger text, help line, sheet receipt, expired sessions,
## refused cookies, attempt limits, opening and closing times, skipped items, election rules.
# The larger-text switch in the header (长辈模式), and back.
web-text_big = Larger text
web-text_normal = Normal text
# The help line under every owner page. $phone: the estate's contact phone.
web-help_phone = Need help? Call { $phone } (owners' committee / property office).
web-help_no_phone = Need help? Ask the owners' committee or the property office.
# A form came back without the browser's session cookie: cookies are refused (or were cleared).
web-no_cookies = Your browser did not keep this site's cookie, so you cannot sign in to vote (your code is not the problem). Allow cookies for this site in the browser's settings, or leave private browsing, then open the voting page again.
# The session ended in the middle of a sheet: the choices so far are carried through the code form.
web-session_expired = Your sign-in has expired: please enter your voting code again. Your choices so far are kept; you continue after signing in.
web-session_expired_plain = Your sign-in has expired: please enter your voting code again.
# $minutes: how long until the attempt limit allows another try (at most).
web-too_many_attempts_wait = Too many failed attempts. To protect the codes, please try again in { $minutes } minutes.
# An election's step with candidates and 弃权 both ticked: refused, the ticks kept.
web-abstain_with_candidates = You ticked candidates and also “Abstain”: choose one or the other. Untick “Abstain” to vote for the candidates, or untick the candidates to abstain.
# The one receipt of the owner's sheet (derived from the receipts of its ballots; docs/guide-auditor.md).
web-sheet_receipt = Receipt of your ballot
web-sheet_receipt_hint = Take a screenshot or write this receipt down and keep it. When the result is published, it shows that your ballot was counted.
# $at: Beijing time, 2026-12-09 01:10.
web-sheet_receipt_at = Submitted: { $at } (Beijing time)
web-sheet_receipt_covers = This receipt covers the { $n } votes below.
# Before opening, instead of "no item". Times in Beijing time.
web-opens_later = Voting has not started yet. It opens on { $opens } (Beijing time) and closes on { $closes }. Please come back then.
web-closed_early = Voting was closed early on { $at } (Beijing time); it was to close on { $scheduled }. Reason: { $reason }
web-closed_at_time = Voting closed on { $at } (Beijing time).
web-cancelled_reason = This vote was cancelled. Reason: { $reason }
# The review page: an item left without a choice.
web-skipped = Nothing chosen: if you submit now, no vote is recorded on this item. Press “Change” to vote on it.
web-skipped_count = You left { $n } items without a choice (marked below).
# The legend of a step's choices (the title is the page's heading).
web-your_choice_legend = Your choice:
# A consultation's answer to one question, and between answers.
web-answer_pair = { $question }: { $answers }
web-answers_separator = {"; "}
# An election's rule worded for candidates. $seats: seats; $votes: rule-votes_* joined by rule-clauses_and.
rule-elected = the { $seats } candidates with the most votes are elected, each needing { $votes }
rule-elected_only = the { $seats } candidates with the most votes are elected
rule-votes_participating = the votes of { $bound } of the participating { $measures }{ $count ->
        [1] {""}
       *[other] {" each"}
    }
rule-votes_total = the votes of { $bound } of all { $measures }{ $count ->
        [1] {""}
       *[other] {" each"}
    }

## The estate's contact phone on the staff home page (issue 21, point 8).
web-contact_phone = Contact phone for owners
web-contact_phone_help = Shown at the foot of every owner page and on the notice, for owners who need help (e.g. the committee's duty phone or the property office). Leave empty to show none.
web-contact_phone_invalid = Enter a telephone number owners can dial: 3 to 30 characters, only digits, spaces and + - ( ) / or 转 (extension).
web-contact_phone_save = Save the phone

not_a_witness = The note carries no signature of a witness registered for this estate.
checkpoint_unknown = This log never made a checkpoint of that size and root.
witness_dissents = A witness of this estate's log reported that the log's history was rewritten; the final result cannot be published until it is explained.
log-checkpoint_line = Log checkpoint: { $size } entries, root { $root } ({ $at }, Beijing time)
log-checkpoint_hint = Keep this line (or a photo of it): anyone can later prove from it whether the estate's record was changed. All checkpoints: { $url }
log-witnessed_by = Cosigned by: { $names }
cli_records_match = every item (rule, matter, scope), frozen electorate, proxy and transfer matches the audit log
cli_record_mismatch = record differs from the audit log
audit_disagrees = The estate's records disagree with its audit log (see the audit check); the final result cannot be published until this is explained.
web-log-title = Public record log
web-log-intro = Everything that decides a count (the roster, the items and their rules, every ballot, objections and publications) is written to this estate's log. A checkpoint seals the log as it stands: its number of entries and a fingerprint (root). Checkpoints are printed on the notice and sent with every e-mail, and witnesses such as the residents' committee cosign them. Anyone who kept a checkpoint can later prove whether the record only grew or was rewritten.
web-log-checkpoints = Checkpoints, newest first
web-log-none = No checkpoint yet.
web-log-when = When (Beijing time)
web-log-why = Occasion
web-log-entries = Entries
web-log-root = Fingerprint (root)
web-log-cosigned = Cosigned by
web-log-dissent = Dissent: 
web-log-downloads = Files to keep
web-log-newest = The newest checkpoint (signed text)
web-log-keys = The log's keys
web-log-all = Every checkpoint (JSON)
web-log-witnesses = Witnesses
web-log-no_witness = No witness registered yet.
web-log-keys_title = Keys that verify the checkpoints
web-log-reason_setup = Before announcing: the items and their rules
web-log-reason_announced = Announced
web-log-reason_opened = Voting opened
web-log-reason_daily = Daily, while voting
web-log-reason_closed = Voting closed, preliminary result
web-log-reason_final = Final result
web-log-reason_requested = On request (a proof)
web-log-proof = Download the proof that this ballot is in the log

# issue 19: 从众 (follow the majority)
follow_not_in_rules = The estate's rules of procedure do not provide for “follow the majority” (从众); this motion cannot offer it. Record the clause that provides for it first.
web-follow = Follow the majority (从众)
web-follow_explain = “Follow the majority”: you take part, and your ballot joins the side the other participating owners decide (yes or no). It counts towards participation, but never changes which side wins.
web-follow_joined = “Follow the majority” ballots joined “{ $side }”
web-follow_offer = Offer “follow the majority” (从众), where the rules of procedure provide for it
web-follow_setting = “Follow the majority” (从众)
web-follow_setting_help = Where the rules of procedure of the owners' assembly provide for it, a motion may offer a fourth choice, “follow the majority”: the owner takes part and their ballot joins the side the other participating owners decide. Name the clause that provides for it.
web-follow_basis = Clause of the rules of procedure (e.g. Rules of procedure, art. 12)
web-follow_save = Save the “follow the majority” setting
web-follow_off = The rules of procedure do not provide for “follow the majority”.
web-follow_on = The rules of procedure provide for “follow the majority”: { $basis }

# issue 19: extending voting
mail_extension = Voting extended
extend_only_while_open = Voting can be extended only while it is open; never after closing.
extension_not_later = The new closing time must be after the current one and after now.
extension_too_long = The new closing time is later than the rules of procedure allow.
web-extend_title = Extend voting
web-extend_help = When participation is below two thirds, voting may be extended as the rules of procedure allow. Ballots already cast stand; every owner is told (by e-mail, or on paper through the building volunteers).
web-extend_new_close = New closing time (China Standard Time)
web-extend_reason = Reason (every owner is told)
web-extend_submit = Extend voting and tell every owner
web-extended = Voting has been extended: it now closes at { $to } instead of { $from } (China Standard Time). Reason: { $reason }
web-original_close = Originally closing at: { $at }
web-extend_latest = Latest closing time the rules of procedure allow: { $at }

# issue 19: documents
document_type = Only PDF files and images (PNG, JPEG, WebP) of at most 10 MB can be uploaded.
documents_fixed = Once the assembly is announced its documents cannot change; announce a new version as a new document at a later assembly.
web-documents = Documents
web-document_line = { $name } ({ $kind }, { $size })
web-document_add = Upload a document
web-document_name = Name of the document (e.g. Quote for the new lifts)
web-document_file = File (PDF or image, at most 10 MB)
web-document_help = Upload before announcing. Once announced, documents are fixed; their SHA-256 is written to the log and printed on the notice.
web-document_remove = Remove this document
web-document_scan = Scan to read the document

# issue 19: rounds and stairwells
web-by_stairwell = By stairwell
web-stairwell = Building-stairwell
rounds_of_consultations = Only a consultation has rounds.
round_after_closing = The next round can be set up once voting on this round has closed.
round_exists = This round already has a next round.
web-rounds = Rounds of this consultation
web-round_line = Round { $n }: { $title } ({ $state })
web-round_of = Round { $n } of the consultation
web-next_round = Set up the next round
web-next_round_help = The next round asks the same owners (or some of them, e.g. the stairwells still undecided); its questions are this round's, and can be edited until the assembly is announced.
web-next_round_assembly = Asked at the assembly (a draft)

# issue 19: candidates
web-sheet_statement = { $name }: { $statement }
web-sheet_statements = About the candidates (in full on the notice): { $list }
web-candidate_heading = Candidates
candidates_of_elections = Only elections have a candidate register.
candidates_fixed = Once the assembly is announced its candidate register cannot change.
candidate_review_same_person = Whoever registered a candidate cannot review them: another staff member records the review.
candidate_not_reviewed = Every candidate of an election must be registered and found eligible by the committee's review before the assembly is announced.
web-candidate_units = Units: { $units }
web-candidate_nominated = Nominated by: { $by }
web-candidate_photo = Photo of { $name }
web-candidate_register = Register a candidate
web-candidate_register_help = Register each candidate's units, statement, nomination and declarations; another staff member then reviews eligibility. The assembly can be announced only when all are found eligible.
web-candidate_name = Candidate
web-candidate_units_field = Units owned (unit numbers, separated by commas)
web-candidate_statement = Statement
web-candidate_nominated_field = Nominated by (e.g. 10 owners jointly)
web-candidate_photo_field = Photo (an image uploaded to this item; optional)
web-candidate_no_photo = No photo
web-candidate_declarations = Declarations (tick what the candidate confirms)
web-candidate_save = Register
web-candidate_review = Eligibility review
web-candidate_eligible = Found eligible
web-candidate_rejected = Found not eligible: { $reason }
web-candidate_awaiting = Awaiting review (by another staff member)
web-candidate_missing = Not registered yet
web-candidate_review_reason = Reason (required for a rejection)
web-candidate_approve = Eligible
web-candidate_reject = Not eligible
web-candidate_declarations_setting = Candidates' eligibility declarations
web-candidate_declarations_help = One per line; each candidate answers every one when registered. Changes are logged.
web-candidate_declarations_save = Save the declarations
web-candidate_yes = yes
web-candidate_no = no

# issue 19: building volunteers
volunteer_creator_confirms = A volunteer's paper ballot is confirmed by a staff member other than the one who created the volunteer.
web-volunteer_heads = { $n } owners
web-volunteer_area_short = { $area } m²
login_taken = This sign-in name is taken: choose another.
volunteers_round_only = A building volunteer sees and records only their own buildings' round.
volunteers_only = This is for building volunteers.
round_only_while_open = The door-to-door round runs only while voting is open.
web-volunteer_title = Door-to-door round
web-volunteer_areas = Your buildings: { $areas }
web-volunteer_no_round = No assembly is open for voting now.
web-volunteer_closes = Voting closes: { $at }
web-volunteer_building = Building { $building }
web-volunteer_stairwell = Building { $building }, stairwell { $stairwell }
web-volunteer_turnout = Took part: { $heads } of { $total_heads } owners, { $area } of { $total_area } m²
web-volunteer_missing = Short of 2/3 by { $what }
web-volunteer_reached = 2/3 reached
web-volunteer_doors = Owners who have not voted yet ({ $n })
web-volunteer_no_doors = Every owner of your buildings has voted.
web-volunteer_last_visit = Last visit: { $at }, { $outcome }
web-visit_not_home = Not at home
web-visit_online = Will vote online
web-visit_paper = Paper form collected
web-visit_refused = Refused
web-visit_outcome = Outcome of the visit
web-visit_note = Note (optional)
web-visit_record = Record the visit
web-volunteer_paper = Enter a collected paper form (counts once a secretary confirms it)
web-volunteer_door_list = Print the door list
web-volunteer_door_list_title = Door list
web-volunteer_door_list_help = Only owners who have not voted yet; nobody's choices.
web-volunteers = Building volunteers
web-volunteers_help = A volunteer sees only who in their buildings has not voted (never anyone's choices), records door visits, and enters the paper forms they collect (counted only once a secretary confirms them).
web-volunteer_line = { $name } ({ $login }): { $areas }
web-volunteer_create = Add a volunteer
web-volunteer_login = Sign-in name (letters or digits, e.g. chen3)
web-volunteer_name = Name (e.g. Mrs Chen, building 3)
web-volunteer_buildings = Buildings (separated by commas, e.g. 3, 5)
web-volunteer_stairwells = Or stairwells (building-stairwell, e.g. 6-1)
web-volunteer_created = Volunteer { $login } added. Password: { $password } (shown only this once: hand it over in person)
sms-announcement = { $estate } owners' assembly "{ $title }": voting opens { $opens } and closes { $closes }. Details: { $link }
sms-invitation = { $estate } owners' assembly "{ $title }" is open until { $closes }. Vote at { $link }, signing in with this phone number.
sms-reminder = Reminder: { $estate } owners' assembly "{ $title }" closes { $closes } and you have not voted on everything. Vote at { $link } with this phone number.
sms-ballot_recorded = { $estate } "{ $title }": a ballot in your name was recorded { $at } ({ $channel }), receipt { $receipt }. If it was not you, check and object at { $link }
sms-result = { $estate } owners' assembly "{ $title }": the result is published. See { $link }
sms-extension = { $estate } owners' assembly "{ $title }": voting now closes { $closes }; ballots already cast stand. Details: { $link }
sms-cancellation = { $estate } owners' assembly "{ $title }" is cancelled. Details: { $link }
sms-sign_in_code = Your owners' assembly sign-in code: { $code }, valid { $minutes } minutes. Tell no one; the committee and the property company never ask for it.
web-sms_forecast = The next round sends { $emails } e-mails and { $texts } SMS ({ $held } SMS held back by the budget); { $paper } owners on paper.
web-sms_texted = SMS: 
sms_sign_in_only_while_open = Signing in by SMS code is possible only while voting is open.
sms_not_offered = This estate does not send SMS; please use the voting code on your paper notice.
web-sms_sign_in = Sign in with a code by SMS
web-sms_sent = If this number is on the owners' roster, a code is on its way by SMS. Type it within a few minutes.
web-sms_code_label = The 6-digit code from the SMS
web-sms_no_code = Nothing came? Check that it is the number on the roster, or use the voting code on your paper notice.
web-sms_help = Type the mobile number on the owners' roster; a 6-digit code will be sent to it.
web-sms_phone_label = Mobile number
web-sms_send_code = Send the code
web-sms_use_code = Sign in with the voting code instead
web-sms_bad_code = That code is wrong or has expired. Ask for a new one.
web-sms_record_title = Notices sent to me
web-sms_back_to_sheet = Back to the ballot
web-sms_channels_title = How notices reach me
web-sms_channels_legend = Choose how notices reach you
web-sms_alerts_always = Alerts that a ballot was recorded in your name always go by SMS and e-mail, whatever you choose here.
web-sms_save = Save
web-sms_deliveries = Notices sent
web-sms_no_deliveries = No notice has been sent to you electronically yet.
web-sms_channel = Channel
web-sms_sent_at = Sent
web-sms_delivery = Delivery
web-sms_other_notice = Notice
web-sms_both = SMS and e-mail
web-sms_only_sms = SMS only
web-sms_only_email = E-mail only
web-sms_channel_sms = SMS
web-sms_channel_email = E-mail
web-sms_not_sent = Could not be sent
web-sms_waiting = Waiting to be sent
web-sms_delivered = Delivered
web-sms_undelivered = Not delivered
web-sms_unknown = Unknown (no receipt)
web-sms_channels_saved = Your choice is saved.
web-sms_setting = Notices by SMS
web-sms_on = On: notices also go by SMS, and owners may sign in with a code by SMS.
web-sms_off = Off: notices go by e-mail and on paper only.
web-sms_setting_help = The estate pays for SMS. The budget limits SMS per owner and assembly and per day for the estate; ballot alerts and sign-in codes are not counted.
web-sms_per_owner = SMS per owner and assembly, at most
web-sms_per_day = SMS per day for the estate, at most
web-sms_record_link = Notices sent to me, and how they reach me
web-sms_setting_save = Save the SMS setting
roster-too_many_rows = the file has more than { $limit } rows, the most a roster may have: check that it is this estate's roster alone
