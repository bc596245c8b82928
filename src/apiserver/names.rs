//! Names-only listing: the names of a collection's objects that start with a prefix, read
//! as keys only, so completing a name costs the matching keys and not the decoding of every
//! object (10,000 pods: ~180 ms through `list`, a few ms this way).

use super::ApiServer;
use super::codec::store_error;
use crate::api::registry::Resource;
use crate::api::status::ApiError;
use crate::store::RangeRequest;

impl ApiServer {
    /// The names of the objects of `r` in `namespace` (all namespaces: `None`) that start
    /// with `prefix`, in key order (across namespaces: by namespace, then name).
    pub fn list_names(
        &self,
        r: &Resource,
        namespace: Option<&str>,
        prefix: &str,
    ) -> Result<Vec<String>, ApiError> {
        let collection = r.storage_prefix_for(namespace);
        // Keys go on with the name, except across namespaces (`<namespace>/<name>`).
        let by_name = !r.namespaced || namespace.is_some();
        let start = if by_name { prefix } else { "" };
        let mut request = RangeRequest::prefix(format!("{collection}{start}").as_bytes());
        request.keys_only = true;
        let response = self.store.range(&request).map_err(store_error)?;
        Ok(response
            .kvs
            .iter()
            .filter_map(|kv| std::str::from_utf8(&kv.key).ok())
            .filter_map(|key| key.strip_prefix(collection.as_str()))
            .map(|rest| rest.rsplit('/').next().unwrap_or(rest).to_string())
            .filter(|name| name.starts_with(prefix))
            .collect())
    }
}
