//! Replies read as they arrive (a watch, `logs -f`) and collections read in pages.

use super::{CHUNK_SIZE, Pending, Remote, decode_reply, failure, list_query};
use crate::api::options::ListOptions;
use crate::api::status::ApiError;
use reqwest::Method;
use reqwest::StatusCode;
use reqwest::blocking::Response;
use serde_json::Value;
use std::time::Duration;

/// Reads one page's reply (its status and body) into the page.
pub(super) type PageDecoder = dyn Fn(StatusCode, &[u8]) -> Result<Value, ApiError>;

impl Remote {
    /// Reads a whole collection in pages of [`CHUNK_SIZE`], following `continue`, as
    /// kubectl does; the pages' items (or Table rows) are joined into the first page. A
    /// page size asked for is sent as it is (a limit of 0: none, one request for all).
    pub(super) fn list_chunked(
        &self,
        path: &str,
        opts: &ListOptions,
        extra: &[(&'static str, String)],
        accept: &str,
    ) -> Result<Value, ApiError> {
        self.list_pages(path, opts, extra, accept, &decode_reply)
    }

    /// `list_chunked` with each page's reply read by `decode`.
    pub(super) fn list_pages(
        &self,
        path: &str,
        opts: &ListOptions,
        extra: &[(&'static str, String)],
        accept: &str,
        decode: &PageDecoder,
    ) -> Result<Value, ApiError> {
        let mut opts = opts.clone();
        let chunked = opts.limit.is_none();
        if chunked {
            opts.limit = Some(CHUNK_SIZE);
        }
        let mut first: Option<Value> = None;
        loop {
            let mut q = list_query(&opts);
            q.extend(extra.iter().cloned());
            let resp = self.send(&self.request_accepting(Method::GET, path, &q, accept))?;
            let code = resp.status();
            let bytes = resp
                .bytes()
                .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
            let mut page = decode(code, &bytes)?;
            drop(bytes);
            let next = page
                .pointer("/metadata/continue")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
                .map(str::to_string);
            match &mut first {
                None => first = Some(page),
                Some(all) => {
                    for key in ["items", "rows"] {
                        if let (Some(mine), Some(more)) = (
                            all.get_mut(key).and_then(Value::as_array_mut),
                            page.get_mut(key).and_then(Value::as_array_mut),
                        ) {
                            mine.append(more);
                        }
                    }
                }
            }
            match next {
                Some(c) if chunked => opts.continue_token = Some(c),
                _ => break,
            }
        }
        let mut all = first.unwrap_or(Value::Null);
        if chunked && let Some(meta) = all.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.shift_remove("continue");
        }
        Ok(all)
    }

    /// Sends a request whose reply is read as it arrives (a watch, `logs -f`); a failure
    /// status is decoded whole into the server's Status.
    pub(super) fn send_streaming(
        &self,
        p: &Pending,
        timeout: Option<Duration>,
    ) -> Result<Response, ApiError> {
        let resp = self.send_once(p, timeout)?;
        let code = resp.status();
        if code.is_success() {
            return Ok(resp);
        }
        let bytes = resp
            .bytes()
            .map_err(|e| failure::from_reqwest(&e, &self.failure))?;
        Err(match decode_reply(code, &bytes) {
            Err(e) => e,
            Ok(_) => ApiError::internal("the server refused the request"),
        })
    }
}
