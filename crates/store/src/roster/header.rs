//! Recognising a roster's header row: English or Chinese names and the variants real exports use,
//! in any order, among columns we do not need.

use std::fmt;

use super::cell::normalise;

/// A column the roster import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Zone,
    Building,
    Stairwell,
    Room,
    Floor,
    Area,
    OwnerId,
    OwnerName,
    Phone,
    Email,
}

impl Field {
    pub const ALL: [Field; 10] = [
        Field::Zone,
        Field::Building,
        Field::Stairwell,
        Field::Room,
        Field::Floor,
        Field::Area,
        Field::OwnerId,
        Field::OwnerName,
        Field::Phone,
        Field::Email,
    ];

    /// Without these a row is not a unit. The stairwell is not among them: estates of villas or
    /// single-entrance towers have none, and a missing stairwell reads as `1` (see `check.rs`).
    pub const REQUIRED: [Field; 4] = [Field::Building, Field::Room, Field::Area, Field::OwnerId];

    /// Header names, compared after [`header_key`]: English as `gen_roster.py` writes them and
    /// Chinese as property companies export them.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Zone => &[
                "zone",
                "area_zone",
                "district",
                "区域",
                "分区",
                "片区",
                "小区分区",
                "苑区",
            ],
            Field::Building => &[
                "building",
                "building_no",
                "bldg",
                "楼号",
                "幢号",
                "楼栋",
                "楼栋号",
                "栋号",
                "幢",
                "栋",
                "楼幢",
            ],
            Field::Stairwell => &[
                "stairwell",
                "entrance",
                "staircase",
                "单元",
                "单元号",
                "楼道",
                "门洞",
            ],
            Field::Room => &[
                "unit",
                "unit_no",
                "room",
                "room_no",
                "flat",
                "室号",
                "房号",
                "户号",
                "房间号",
                "门牌号",
                "室",
            ],
            Field::Floor => &["floor", "楼层", "层", "所在层", "层数"],
            Field::Area => &[
                "area_m2",
                "area",
                "area_sqm",
                "建筑面积",
                "面积",
                "产权面积",
                "专有部分面积",
                "房屋面积",
            ],
            Field::OwnerId => &[
                "owner_id",
                "ownerid",
                "owner_no",
                "业主编号",
                "业主证件号",
                "产权人编号",
                "业主号",
                "业主代码",
                "证件号码",
            ],
            Field::OwnerName => &[
                "owner_name",
                "owner",
                "name",
                "业主姓名",
                "业主",
                "产权人",
                "姓名",
                "业主名称",
            ],
            Field::Phone => &[
                "phone",
                "mobile",
                "tel",
                "telephone",
                "联系电话",
                "手机",
                "电话",
                "手机号",
                "手机号码",
            ],
            Field::Email => &["email", "e_mail", "mail", "电子邮箱", "邮箱", "电子邮件"],
        }
    }

    pub fn recognise(header: &str) -> Option<Field> {
        let key = header_key(header);
        Field::ALL
            .into_iter()
            .find(|field| field.aliases().contains(&key.as_str()))
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Zone => "zone",
            Field::Building => "building",
            Field::Stairwell => "stairwell",
            Field::Room => "room",
            Field::Floor => "floor",
            Field::Area => "area",
            Field::OwnerId => "owner id",
            Field::OwnerName => "owner name",
            Field::Phone => "phone",
            Field::Email => "email",
        })
    }
}

/// `" Area (m²) "` → `"area"`, `"建筑面积（㎡）"` → `"建筑面积"`, `"*业主编号"` → `"业主编号"`,
/// `"Owner ID"` → `"owner_id"`: units in brackets, required-field stars, case and spacing vary.
fn header_key(header: &str) -> String {
    let text = normalise(header);
    let text = match text.find('(') {
        Some(open) if text.ends_with(')') => text.get(..open).unwrap_or(&text),
        _ => &text,
    };
    let text = text.trim().trim_matches('*').trim();
    let mut key = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '-' | '_' => {
                if !key.ends_with('_') {
                    key.push('_');
                }
            }
            c => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// Where each field sits in the header row, and how the file names it (for messages).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    found: Vec<(Field, usize, String)>,
}

impl Columns {
    pub fn index(&self, field: Field) -> Option<usize> {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, index, _)| *index)
    }

    /// The header as written in the file, or the field's English name if the column is absent.
    pub fn name(&self, field: Field) -> String {
        self.found
            .iter()
            .find(|(f, _, _)| *f == field)
            .map_or_else(|| field.to_string(), |(_, _, name)| name.clone())
    }

    pub fn missing_required(&self) -> Vec<Field> {
        Field::REQUIRED
            .into_iter()
            .filter(|field| self.index(*field).is_none())
            .collect()
    }
}

/// A column that a header row names twice (e.g. `面积` and `建筑面积`): reading either silently
/// could count the wrong area, so it is an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    pub field: Field,
    pub first: String,
    pub second: String,
}

/// Reads one row as a header. Unknown columns are ignored.
pub fn read_header(cells: &[String]) -> (Columns, Vec<Ambiguous>) {
    let mut columns = Columns::default();
    let mut ambiguous = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let Some(field) = Field::recognise(cell) else {
            continue;
        };
        let name = normalise(cell);
        match columns.found.iter().find(|(f, _, _)| *f == field) {
            Some((_, _, first)) => ambiguous.push(Ambiguous {
                field,
                first: first.clone(),
                second: name,
            }),
            None => columns.found.push((field, index, name)),
        }
    }
    (columns, ambiguous)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn recognises_english_chinese_and_variants() {
        assert_eq!(Field::recognise("area_m2"), Some(Field::Area));
        assert_eq!(Field::recognise(" Area (m²) "), Some(Field::Area));
        assert_eq!(Field::recognise("建筑面积（㎡）"), Some(Field::Area));
        assert_eq!(Field::recognise("Owner ID"), Some(Field::OwnerId));
        assert_eq!(Field::recognise("*业主编号"), Some(Field::OwnerId));
        assert_eq!(Field::recognise("E-mail"), Some(Field::Email));
        assert_eq!(Field::recognise("\u{feff}zone"), Some(Field::Zone));
        // 单元 is the stairwell in Chinese; "unit" is the flat in gen_roster's English header.
        assert_eq!(Field::recognise("单元"), Some(Field::Stairwell));
        assert_eq!(Field::recognise("unit"), Some(Field::Room));
        for (name, field) in [
            ("幢号", Field::Building),
            ("楼道", Field::Stairwell),
            ("户号", Field::Room),
            ("产权人", Field::OwnerName),
            ("手机", Field::Phone),
        ] {
            assert_eq!(Field::recognise(name), Some(field), "{name}");
        }
        assert_eq!(Field::recognise("备注"), None);
        assert_eq!(Field::recognise("remark"), None);
        assert_eq!(Field::recognise("套内面积"), None);
    }

    #[test]
    fn maps_columns_in_any_order_and_names_them_as_written() {
        let (columns, ambiguous) =
            read_header(&row(&["备注", "建筑面积(㎡)", "室号", "楼号", "业主编号"]));
        assert!(ambiguous.is_empty());
        assert_eq!(columns.index(Field::Area), Some(1));
        assert_eq!(columns.index(Field::Building), Some(3));
        assert_eq!(columns.name(Field::Area), "建筑面积(㎡)");
        assert_eq!(columns.name(Field::Stairwell), "stairwell");
        assert!(columns.missing_required().is_empty());
    }

    #[test]
    fn a_field_named_twice_is_ambiguous() {
        let (_, ambiguous) = read_header(&row(&["楼号", "室号", "面积", "建筑面积", "业主编号"]));
        assert_eq!(
            ambiguous,
            vec![Ambiguous {
                field: Field::Area,
                first: "面积".into(),
                second: "建筑面积".into()
            }]
        );
    }
}
