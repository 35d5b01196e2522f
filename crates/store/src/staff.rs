//! Staff accounts beside `users.rs`: the roles a user holds in any estate.

use diesel::prelude::*;

use crate::schema::user_roles;
use crate::users::Role;
use crate::{Store, StoreError};

impl Store {
    /// Every (estate, role) a user holds, ordered by estate then role (for signing in).
    pub fn all_roles(&self, user_id: &str) -> Result<Vec<(String, Role)>, StoreError> {
        let mut conn = self.conn()?;
        let rows: Vec<(String, String)> = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .order((user_roles::estate_id.asc(), user_roles::role.asc()))
            .select((user_roles::estate_id, user_roles::role))
            .load(&mut *conn)?;
        rows.into_iter()
            .map(|(estate, role)| Ok((estate, Role::parse(&role)?)))
            .collect()
    }
}
