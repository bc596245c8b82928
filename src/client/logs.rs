//! The query of `GET pods/{name}/log`, as kubectl sends it.

/// What `logs` asks for. Unset fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogRequest {
    pub container: Option<String>,
    /// Stream what the container writes until it ends (`follow=true`).
    pub follow: bool,
    pub limit_bytes: Option<i64>,
    /// The previous (terminated) instance of a restarted container.
    pub previous: bool,
    pub since_seconds: Option<i64>,
    pub since_time: Option<String>,
    pub tail_lines: Option<i64>,
    pub timestamps: bool,
}

impl LogRequest {
    /// The query parameters, in kubectl's (sorted) order.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(c) = &self.container {
            q.push(("container", c.clone()));
        }
        if self.follow {
            q.push(("follow", "true".to_string()));
        }
        if let Some(n) = self.limit_bytes {
            q.push(("limitBytes", n.to_string()));
        }
        if self.previous {
            q.push(("previous", "true".to_string()));
        }
        if let Some(n) = self.since_seconds {
            q.push(("sinceSeconds", n.to_string()));
        }
        if let Some(t) = &self.since_time {
            q.push(("sinceTime", t.clone()));
        }
        if let Some(n) = self.tail_lines {
            q.push(("tailLines", n.to_string()));
        }
        if self.timestamps {
            q.push(("timestamps", "true".to_string()));
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_is_sorted_and_sends_only_what_is_set() {
        let req = LogRequest {
            container: Some("app".into()),
            tail_lines: Some(2),
            timestamps: true,
            since_seconds: Some(3600),
            ..Default::default()
        };
        let keys: Vec<&str> = req.query().iter().map(|(k, _)| *k).collect();
        assert_eq!(
            keys,
            ["container", "sinceSeconds", "tailLines", "timestamps"]
        );
        assert!(LogRequest::default().query().is_empty());
    }
}
