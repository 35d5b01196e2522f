// The tables of `migrations/`, written for diesel by hand (kept in step with the SQL).

diesel::table! {
    estates (id) {
        id -> Text,
        name -> Text,
        created_at -> Text,
        trial -> Bool,
        min_notice_days -> BigInt,
        contact_phone -> Nullable<Text>,
        follow_majority -> Bool,
        follow_majority_basis -> Nullable<Text>,
        max_extension_days -> BigInt,
        candidate_declarations -> Text,
        sms_notices -> Bool,
        sms_per_owner -> BigInt,
        sms_per_day -> BigInt,
    }
}

diesel::table! {
    notice_channels (estate_id, owner_id) {
        estate_id -> Text,
        owner_id -> Text,
        channels -> Text,
        set_at -> Text,
    }
}

diesel::table! {
    sms_sign_in_codes (id) {
        id -> Text,
        assembly_id -> Text,
        phone_hash -> Text,
        voter -> Text,
        code_hash -> Text,
        created_at -> Text,
        expires_at -> Text,
        failures -> Integer,
        used_at -> Nullable<Text>,
    }
}

diesel::table! {
    volunteer_areas (user_id, estate_id, building, stairwell) {
        user_id -> Text,
        estate_id -> Text,
        building -> Text,
        stairwell -> Text,
        created_by -> Text,
    }
}

diesel::table! {
    door_visits (id) {
        id -> Text,
        assembly_id -> Text,
        voter -> Text,
        outcome -> Text,
        note -> Text,
        visited_at -> Text,
        recorded_by -> Text,
        recorded_at -> Text,
    }
}

diesel::table! {
    candidates (id) {
        id -> Text,
        item_id -> Text,
        name -> Text,
        units -> Text,
        statement -> Text,
        photo_document -> Nullable<Text>,
        nominated_by -> Text,
        declarations -> Text,
        registered_by -> Text,
        registered_at -> Text,
        review -> Nullable<Text>,
        review_reason -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        reviewed_at -> Nullable<Text>,
    }
}

diesel::table! {
    roster_versions (id) {
        id -> Text,
        estate_id -> Text,
        version -> BigInt,
        imported_at -> Text,
        imported_by -> Nullable<Text>,
        source_name -> Text,
        source_sha256 -> Text,
        units_count -> BigInt,
        total_area_cents -> BigInt,
        pending -> Bool,
    }
}

diesel::table! {
    units (id) {
        id -> Text,
        roster_version_id -> Text,
        unit_number -> Text,
        zone -> Text,
        building -> Text,
        stairwell -> Text,
        room -> Text,
        floor -> Nullable<Integer>,
        area_cents -> BigInt,
        owner_id -> Text,
        source_line -> BigInt,
    }
}

diesel::table! {
    unit_contacts (unit_id) {
        unit_id -> Text,
        owner_name -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        login -> Text,
        display_name -> Text,
        password_hash -> Text,
        disabled -> Bool,
        created_at -> Text,
    }
}

diesel::table! {
    user_roles (user_id, estate_id, role) {
        user_id -> Text,
        estate_id -> Text,
        role -> Text,
        granted_at -> Text,
    }
}

diesel::table! {
    item_rounds (item_id) {
        item_id -> Text,
        previous_item_id -> Text,
        round -> Integer,
    }
}

diesel::table! {
    item_documents (id) {
        id -> Text,
        item_id -> Text,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        bytes -> Binary,
        uploaded_by -> Text,
        uploaded_at -> Text,
    }
}

diesel::table! {
    assembly_extensions (id) {
        id -> Text,
        assembly_id -> Text,
        from_closes_at -> Text,
        to_closes_at -> Text,
        reason -> Text,
        extended_by -> Text,
        extended_at -> Text,
    }
}

diesel::table! {
    assemblies (id) {
        id -> Text,
        estate_id -> Text,
        title -> Text,
        state -> Text,
        announced_at -> Nullable<Text>,
        opens_at -> Text,
        closes_at -> Text,
        ballots_changeable -> Bool,
        options -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    items (id) {
        id -> Text,
        assembly_id -> Text,
        position -> Integer,
        kind -> Text,
        title -> Text,
        body -> Text,
        matter -> Nullable<Integer>,
        rule -> Text,
        scope -> Text,
        definition -> Text,
        state -> Text,
        roster_version_id -> Nullable<Text>,
        electorate_frozen_at -> Nullable<Text>,
        created_at -> Text,
    }
}

diesel::table! {
    electorate_units (item_id, unit_number) {
        item_id -> Text,
        unit_number -> Text,
        zone -> Text,
        building -> Text,
        stairwell -> Text,
        floor -> Nullable<Integer>,
        area_cents -> BigInt,
        voter -> Text,
    }
}

diesel::table! {
    voting_codes (id) {
        id -> Text,
        assembly_id -> Text,
        voter -> Text,
        code_hash -> Text,
        issued_at -> Text,
        issued_by -> Nullable<Text>,
        revoked_at -> Nullable<Text>,
        delivery -> Nullable<Text>,
    }
}

diesel::table! {
    code_reissues (id) {
        id -> Text,
        assembly_id -> Text,
        voter -> Text,
        reason -> Text,
        requested_by -> Text,
        requested_at -> Text,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<Text>,
        code_id -> Nullable<Text>,
    }
}

diesel::table! {
    proxies (id) {
        id -> Text,
        assembly_id -> Text,
        member -> Text,
        holder -> Text,
        whole_assembly -> Bool,
        document_ref -> Text,
        recorded_by -> Text,
        recorded_at -> Text,
        revoked_at -> Nullable<Text>,
    }
}

diesel::table! {
    proxy_items (proxy_id, item_id) {
        proxy_id -> Text,
        item_id -> Text,
    }
}

diesel::table! {
    voting_transfers (id) {
        id -> Text,
        assembly_id -> Text,
        unit_number -> Text,
        from_voter -> Text,
        to_voter -> Text,
        deed_ref -> Text,
        recorded_by -> Text,
        recorded_at -> Text,
        state -> Text,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<Text>,
        buyer_is_member -> Bool,
    }
}

diesel::table! {
    ballot_versions (id) {
        id -> Text,
        item_id -> Text,
        voter -> Text,
        seq -> BigInt,
        channel -> Text,
        choice -> Text,
        cast_at -> Text,
        recorded_at -> Text,
        proxy_id -> Nullable<Text>,
        idempotency_key -> Text,
        request_sha256 -> Text,
        entered_by -> Nullable<Text>,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<Text>,
        receipt_secret -> Nullable<Text>,
    }
}

diesel::table! {
    ballots (item_id, voter) {
        item_id -> Text,
        voter -> Text,
        version_id -> Text,
        seq -> BigInt,
        channel -> Text,
        choice -> Text,
        cast_at -> Text,
        proxy_id -> Nullable<Text>,
        entered_by -> Nullable<Text>,
        confirmed_by -> Nullable<Text>,
        confirmed_at -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chains (chain) {
        chain -> Text,
        last_seq -> BigInt,
        head_hash -> Text,
    }
}

diesel::table! {
    audit_log (chain, seq) {
        chain -> Text,
        seq -> BigInt,
        at -> Text,
        actor -> Text,
        action -> Text,
        subject -> Text,
        detail -> Text,
        prev_hash -> Text,
        entry_hash -> Text,
    }
}

diesel::table! {
    log_checkpoints (chain, size) {
        chain -> Text,
        size -> BigInt,
        root_hash -> Text,
        note -> Text,
        reason -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    log_witnesses (chain, name) {
        chain -> Text,
        name -> Text,
        vkey -> Text,
        added_by -> Text,
        added_at -> Text,
    }
}

diesel::table! {
    log_witness_reports (chain, witness, size) {
        chain -> Text,
        witness -> Text,
        size -> BigInt,
        verdict -> Text,
        signature -> Text,
        reason -> Nullable<Text>,
        received_at -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        estate_id -> Nullable<Text>,
        dedupe_key -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Text,
        last_error -> Nullable<Text>,
        created_at -> Text,
        sent_at -> Nullable<Text>,
        kind -> Text,
        assembly_id -> Nullable<Text>,
        voter -> Nullable<Text>,
        channel -> Text,
        sms_params -> Nullable<Text>,
        provider_id -> Nullable<Text>,
        delivery -> Nullable<Text>,
        delivered_at -> Nullable<Text>,
        delivery_detail -> Nullable<Text>,
    }
}

diesel::table! {
    notice_languages (estate_id, owner_id) {
        estate_id -> Text,
        owner_id -> Text,
        language -> Text,
    }
}

diesel::table! {
    signing_keys (id) {
        id -> Text,
        estate_id -> Text,
        kid -> Text,
        private_wrapped -> Text,
        public_pem -> Text,
        created_at -> Text,
        retired_at -> Nullable<Text>,
    }
}

diesel::table! {
    exports (item_id) {
        item_id -> Text,
        estate_id -> Text,
        name -> Text,
        bundle_sha256 -> Text,
        jws -> Text,
        kid -> Text,
        created_at -> Text,
        bundle_bytes -> BigInt,
    }
}

diesel::table! {
    export_parts (item_id, seq) {
        item_id -> Text,
        seq -> Integer,
        part -> Text,
    }
}

diesel::table! {
    publications (assembly_id) {
        assembly_id -> Text,
        estate_id -> Text,
        stage -> Text,
        preliminary_at -> Text,
        objections_until -> Text,
        final_at -> Nullable<Text>,
        final_by -> Nullable<Text>,
    }
}

diesel::table! {
    objections (id) {
        id -> Text,
        assembly_id -> Text,
        item_id -> Text,
        voter -> Text,
        body -> Text,
        filed_at -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Text>,
        ballot_version_id -> Nullable<Text>,
    }
}

diesel::table! {
    attempt_counters (limit_key, bucket) {
        limit_key -> Text,
        bucket -> BigInt,
        attempts -> Integer,
    }
}

diesel::table! {
    revoked_sessions (jti) {
        jti -> Text,
        expires_at -> BigInt,
        revoked_at -> Text,
    }
}

diesel::table! {
    user_sessions (user_id) {
        user_id -> Text,
        generation -> BigInt,
        changed_at -> Text,
    }
}

diesel::joinable!(roster_versions -> estates (estate_id));
diesel::joinable!(ballots -> items (item_id));
diesel::joinable!(units -> roster_versions (roster_version_id));
diesel::joinable!(unit_contacts -> units (unit_id));
diesel::joinable!(items -> assemblies (assembly_id));
diesel::joinable!(assemblies -> estates (estate_id));

diesel::joinable!(assembly_extensions -> assemblies (assembly_id));
diesel::joinable!(candidates -> items (item_id));
diesel::joinable!(item_documents -> items (item_id));

diesel::allow_tables_to_appear_in_same_query!(
    assembly_extensions,
    candidates,
    volunteer_areas,
    door_visits,
    item_documents,
    item_rounds,
    estates,
    roster_versions,
    units,
    unit_contacts,
    users,
    user_roles,
    assemblies,
    items,
    electorate_units,
    voting_codes,
    code_reissues,
    proxies,
    proxy_items,
    voting_transfers,
    ballot_versions,
    ballots,
    audit_chains,
    audit_log,
    log_checkpoints,
    log_witnesses,
    log_witness_reports,
    outbox,
    notice_languages,
    notice_channels,
    sms_sign_in_codes,
    signing_keys,
    exports,
    export_parts,
    publications,
    objections,
    revoked_sessions,
    user_sessions,
);
