//! `create secret docker-registry`: a `kubernetes.io/dockerconfigjson` Secret, from
//! credentials or from files.

use super::{Common, objects, sources};
use clap::Args;
use serde_json::Value;

#[derive(Args, Debug)]
pub struct DockerRegistryArgs {
    /// NAME
    pub names: Vec<String>,
    /// Registry the credentials are for.
    #[arg(long, default_value = "https://index.docker.io/v1/")]
    pub docker_server: String,
    /// User name at the registry.
    #[arg(long, default_value = "")]
    pub docker_username: String,
    /// Password at the registry.
    #[arg(long, default_value = "")]
    pub docker_password: String,
    /// Email address at the registry (optional).
    #[arg(long, default_value = "")]
    pub docker_email: String,
    /// Files to take the keys from ([key=]path; without a key, .dockerconfigjson). Given, the --docker-* flags are not used.
    #[arg(long = "from-file")]
    pub files: Vec<String>,
    /// Append a hash of the content to the name.
    #[arg(long)]
    pub append_hash: bool,
    #[command(flatten)]
    pub common: Common,
}

impl DockerRegistryArgs {
    /// kubectl's check after the NAME: files, or all three credentials.
    pub fn check(&self) -> Result<(), String> {
        let credentials = [
            &self.docker_username,
            &self.docker_password,
            &self.docker_server,
        ];
        if self.files.is_empty() && credentials.iter().any(|c| c.is_empty()) {
            return Err("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required".into());
        }
        Ok(())
    }

    pub fn build(&self, name: &str, namespace: Option<&str>) -> Result<Value, String> {
        let data = if self.files.is_empty() {
            let mut d = objects::Data::default();
            d.binary
                .insert(".dockerconfigjson".into(), self.config_json().into_bytes());
            d
        } else {
            sources::read_docker_files(&self.files)?
        };
        Ok(objects::secret(
            name,
            namespace,
            &data,
            "kubernetes.io/dockerconfigjson",
        ))
    }

    /// The config file a docker login writes, as Go's encoder writes it: compact, fields in
    /// declaration order, no email when none was given, HTML characters escaped.
    fn config_json(&self) -> String {
        use base64::Engine;
        let auth = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.docker_username, self.docker_password));
        let s = |text: &str| {
            let mut out = String::new();
            crate::print::json::write_string(text, &mut out);
            out
        };
        let email = if self.docker_email.is_empty() {
            String::new()
        } else {
            format!(",\"email\":{}", s(&self.docker_email))
        };
        format!(
            "{{\"auths\":{{{}:{{\"username\":{},\"password\":{}{email},\"auth\":{}}}}}}}",
            s(&self.docker_server),
            s(&self.docker_username),
            s(&self.docker_password),
            s(&auth)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct T {
        #[command(flatten)]
        a: DockerRegistryArgs,
    }

    #[test]
    fn config_json_is_gos_compact_encoding() {
        let t = T::parse_from(["t", "n", "--docker-username=u", "--docker-password=p<&"]);
        assert_eq!(
            t.a.config_json(),
            r#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p\u003c\u0026","auth":"dTpwPCY="}}}"#
        );
    }
}
