//! `proxy`: a local HTTP server that forwards to the cluster's API server with the
//! kubeconfig's credentials, as `kubectl proxy` does (its flags, filters, prefix handling
//! and startup line). It needs an API server to forward to: a remote cluster or `kubelite
//! serve`. The one-shot embedded cluster has none (it runs only while a command runs), so
//! there it is refused rather than becoming a second `serve`.

mod filter;
mod forward;

use super::Io;
use super::errors::CliError;
use crate::client::Remote;
use clap::Args;

#[derive(Args, Debug)]
pub struct ProxyArgs {
    /// The port on which to run the proxy. Set to 0 to pick a random port.
    #[arg(short = 'p', long, default_value_t = 8001)]
    pub port: u16,
    /// The IP address on which to serve on.
    #[arg(long, default_value = "127.0.0.1")]
    pub address: String,
    /// Regular expression for hosts that the proxy should accept.
    #[arg(long = "accept-hosts", default_value = filter::ACCEPT_HOSTS)]
    pub accept_hosts: String,
    /// Regular expression for paths that the proxy should accept.
    #[arg(long = "accept-paths", default_value = filter::ACCEPT_PATHS)]
    pub accept_paths: String,
    /// Regular expression for paths that the proxy should reject. Paths specified here will be rejected even accepted by --accept-paths.
    #[arg(long = "reject-paths", default_value = filter::REJECT_PATHS)]
    pub reject_paths: String,
    /// Regular expression for HTTP methods that the proxy should reject (example --reject-methods='POST,PUT,PATCH').
    #[arg(long = "reject-methods", default_value = filter::REJECT_METHODS)]
    pub reject_methods: String,
    /// Prefix to serve the proxied API under.
    #[arg(long = "api-prefix", default_value = "/")]
    pub api_prefix: String,
    /// If true, enables automatic path appending of the kube context server path to each request.
    #[arg(long = "append-server-path")]
    pub append_server_path: bool,
    /// If true, disable request filtering in the proxy. This is dangerous, and can leave you vulnerable to XSRF attacks, when used with an accessible port.
    #[arg(long = "disable-filter")]
    pub disable_filter: bool,
    /// keepalive specifies the keep-alive period for an active network connection. Set to 0 to disable keepalive.
    #[arg(long, default_value = "0s")]
    pub keepalive: String,
    /// Unix socket on which to run the proxy (refused by kubelite).
    #[arg(short = 'u', long = "unix-socket")]
    pub unix_socket: Option<String>,
    /// Also serve static files from the given directory under the specified prefix (refused by kubelite).
    #[arg(short = 'w', long)]
    pub www: Option<String>,
    /// Prefix to serve static files under, if static file directory is specified.
    #[arg(short = 'P', long = "www-prefix", default_value = "/static/")]
    pub www_prefix: String,
}

/// The message for the embedded cluster without `serve`.
pub const NEEDS_SERVER: &str = "proxy forwards to an API server, and the embedded cluster has none while no command runs: start one with `kubelite serve` (proxy then forwards to it), or use its kubeconfig directly";

/// kubectl's checks of the command line, before any client exists.
pub(super) fn validate(args: &ProxyArgs) -> Result<(), CliError> {
    if args.unix_socket.as_deref().is_some_and(|s| !s.is_empty()) {
        return Err(CliError::message(
            "kubelite proxy does not listen on unix sockets (--unix-socket): use --port",
        ));
    }
    if args.www.as_deref().is_some_and(|w| !w.is_empty()) {
        return Err(CliError::message(
            "kubelite proxy serves no static files (--www): serve them with a web server of your own",
        ));
    }
    Ok(())
}

/// Serves until the process is interrupted.
pub fn run(remote: &Remote, args: &ProxyArgs, io: &mut Io) -> Result<i32, CliError> {
    let filters = if args.disable_filter {
        let now = chrono::Local::now().format("%m%d %H:%M:%S%.6f");
        let pid = std::process::id();
        let _ = writeln!(
            io.err,
            "W{now} {pid:>7} proxy.go:177] Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious"
        );
        None
    } else {
        match filter::Filters::new(args) {
            Ok(f) => Some(f),
            Err(e) => {
                // kubectl fails through klog.Fatal: exit 255.
                let _ = writeln!(io.err, "error: Error compiling re: {e}");
                return Ok(255);
            }
        }
    };
    let upstream = remote.upstream()?;
    let listener = std::net::TcpListener::bind((args.address.as_str(), args.port))
        .map_err(|e| CliError::message(bind_error(&args.address, args.port, &e)))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::message(e.to_string()))?;
    let _ = writeln!(io.out, "Starting to serve on {local}");
    let _ = io.out.flush();
    let mut prefix = args.api_prefix.clone();
    if !prefix.ends_with('/') {
        prefix.push('/');
    }
    let plan = forward::Plan {
        upstream,
        filters,
        prefix,
        append_server_path: args.append_server_path,
    };
    forward::serve(listener, plan).map_err(CliError::message)?;
    Ok(0)
}

/// Go's words for a listen that failed.
fn bind_error(address: &str, port: u16, e: &std::io::Error) -> String {
    let why = match e.kind() {
        std::io::ErrorKind::AddrInUse => "address already in use".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::AddrNotAvailable => "cannot assign requested address".to_string(),
        _ => e.to_string(),
    };
    format!("listen tcp {address}:{port}: bind: {why}")
}
