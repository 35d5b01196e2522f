//! Pages of long lists (units, the outbox, objections, the publication roll): `limit` and
//! `offset` query parameters over a stable order, bounded by a maximum; the answer stays the
//! list it always was, with `X-Total-Count` (rows in all) and, when more follow, `X-Next-Offset`
//! (the `offset` of the next page) as headers, so clients that read the whole list keep working
//! as long as it fits the default page.

use actix_web::HttpResponseBuilder;
use gongjue_store::listing::Window;

use crate::error::ApiError;
use crate::usecases::UseCaseError;

/// The default and the largest page of one list.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub default: i64,
    pub max: i64,
}

/// Units of a roster: the default holds nearly every estate whole (existing clients read all).
pub const UNITS: Bounds = Bounds {
    default: 5000,
    max: 10_000,
};
/// Outbox messages.
pub const OUTBOX: Bounds = Bounds {
    default: 500,
    max: 1000,
};
/// Objections of an assembly.
pub const OBJECTIONS: Bounds = Bounds {
    default: 500,
    max: 1000,
};
/// Units of each item's roll in the publication.
pub const ROLL: Bounds = Bounds {
    default: 5000,
    max: 10_000,
};

/// The window asked for by the query's `limit` and `offset` (given as text so that a bad value is
/// refused naming its parameter, 422): `limit` 1 to `bounds.max` (default `bounds.default`),
/// `offset` 0 or more (default 0). `names` are the parameters' names in this route's query.
pub fn window(
    limit: Option<&str>,
    offset: Option<&str>,
    bounds: Bounds,
    names: (&str, &str),
) -> Result<Window, ApiError> {
    let limit = match limit {
        None => bounds.default,
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) if (1..=bounds.max).contains(&n) => n,
            _ => {
                return Err(ApiError::from(UseCaseError::invalid(
                    names.0,
                    format!("`{text}`: a whole number from 1 to {}", bounds.max),
                )));
            }
        },
    };
    let offset = match offset {
        None => 0,
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) if n >= 0 => n,
            _ => {
                return Err(ApiError::from(UseCaseError::invalid(
                    names.1,
                    format!("`{text}`: a whole number, 0 or more"),
                )));
            }
        },
    };
    Ok(Window { limit, offset })
}

/// Puts `X-Total-Count` and, when rows follow this page, `X-Next-Offset` on the answer.
pub fn headers(builder: &mut HttpResponseBuilder, window: Window, returned: usize, total: i64) {
    builder.insert_header(("X-Total-Count", total.to_string()));
    let next = window
        .offset
        .saturating_add(i64::try_from(returned).unwrap_or(i64::MAX));
    if returned > 0 && next < total {
        builder.insert_header(("X-Next-Offset", next.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: (&str, &str) = ("limit", "offset");

    #[test]
    fn defaults_bounds_and_bad_values() {
        let w = window(None, None, OUTBOX, NAMES).unwrap();
        assert_eq!((w.limit, w.offset), (500, 0));
        let w = window(Some("1000"), Some("20"), OUTBOX, NAMES).unwrap();
        assert_eq!((w.limit, w.offset), (1000, 20));
        for (limit, offset, field) in [
            (Some("0"), None, "limit"),
            (Some("1001"), None, "limit"),
            (Some("ten"), None, "limit"),
            (Some("-1"), None, "limit"),
            (None, Some("-1"), "offset"),
            (None, Some("1.5"), "offset"),
        ] {
            match window(limit, offset, OUTBOX, NAMES) {
                Err(ApiError::UseCase(UseCaseError::Invalid { field: f, .. })) => {
                    assert_eq!(f, field)
                }
                other => panic!("{limit:?} {offset:?}: {other:?}"),
            }
        }
    }
}
