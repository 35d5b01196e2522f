//! Named schemas of the OpenAPI document that typed requests and results of the use cases
//! refer to (`#[schema(schema_with = …)]`): an enum kept as a string in the store, a choice in
//! the tally bundle's format. The document itself is built in `routes::openapi`.

use utoipa::openapi::{Ref, RefOr, Schema};

fn named(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn nullable(name: &str) -> RefOr<Schema> {
    schema_of(serde_json::json!({
        "oneOf": [{ "$ref": format!("#/components/schemas/{name}") }, { "type": "null" }]
    }))
}

macro_rules! named {
    ($($fn:ident => $name:literal),* $(,)?) => {
        $(pub fn $fn() -> RefOr<Schema> { named($name) })*
    };
}
macro_rules! nullable {
    ($($fn:ident => $name:literal),* $(,)?) => {
        $(pub fn $fn() -> RefOr<Schema> { nullable($name) })*
    };
}

named! {
    rule => "Rule",
    scope => "Scope",
    definition => "ItemDefinition",
    choice => "Choice",
    tally_result => "TallyResult",
    weight => "Weight",
    participation => "Participation",
    assembly_state => "AssemblyState",
    item_state => "ItemState",
    item_kind => "ItemKind",
    role => "Role",
    channel => "Channel",
    stage => "PublicationStage",
    objection_status => "ObjectionStatus",
    resolution => "Resolution",
    outbox_status => "OutboxStatus",
    language => "Language",
    changed_field => "ChangedField",
    measure => "Measure",
    comparison => "Comparison",
    base => "Base",
    notice_kind => "NoticeKind",
    transfer_state => "TransferState",
}
nullable! {
    choice_or_null => "Choice",
    channel_or_null => "Channel",
}

/// A roster change's fields.
pub fn changed_fields() -> RefOr<Schema> {
    schema_of(serde_json::json!({
        "type": "array", "items": { "$ref": "#/components/schemas/ChangedField" }
    }))
}

/// An audit entry's detail: an object whose members depend on the action.
pub fn audit_detail() -> RefOr<Schema> {
    schema_of(serde_json::json!({
        "type": "object",
        "additionalProperties": true,
        "description": "What the action recorded; its members depend on `action` (e.g. `reason`, `receipt`, `ip`)"
    }))
}

/// A schema from its JSON form.
pub(crate) fn schema_of(value: serde_json::Value) -> RefOr<Schema> {
    // The literals here and in `routes::openapi` are valid schemas: a failure is a typo caught
    // by the unit tests.
    serde_json::from_value(value).unwrap_or_else(|e| {
        RefOr::T(Schema::Object(
            utoipa::openapi::ObjectBuilder::new()
                .description(Some(format!("unreadable schema: {e}")))
                .build(),
        ))
    })
}
