//! `get -w` against a server, as kubectl does it: the list (or, for one named object, a
//! GET), then one watch that stays open from the list's resourceVersion (from `0` for a
//! named object, whose first, synthetic event is dropped). It ends when the server ends
//! the watch, at `--request-timeout`, or on Ctrl-C.

use super::{EventPrinter, WatchRequest, emit, resource_version};
use crate::cli::Io;
use crate::cli::errors::CliError;
use crate::client::Client;
use serde_json::Value;

pub fn run(client: &dyn Client, req: &WatchRequest, io: &mut Io) -> Result<i32, CliError> {
    let r = req.resource;
    let table = req.output.is_table();
    let mut printer = EventPrinter::new(req);
    let since = match req.name {
        Some(name) => {
            let reader = if table {
                crate::cli::builder_read::Reader::Table
            } else {
                crate::cli::builder_read::Reader::Json
            };
            let obj = crate::cli::builder_read::get(client, reader, r, req.namespace, name)?;
            if !req.watch_only {
                print(&mut printer, io, obj, table, "ADDED")?;
            }
            "0".to_string()
        }
        None if table => {
            let initial = client.list_table(r, req.namespace, req.opts)?;
            if !req.watch_only {
                emit(io, printer.table(&initial, "ADDED"))?;
            }
            resource_version(&initial).to_string()
        }
        None => {
            let mut list = client.list(r, req.namespace, req.opts)?;
            let rv = resource_version(&list).to_string();
            if let Value::Array(items) = list["items"].take()
                && !req.watch_only
            {
                for obj in items {
                    print(&mut printer, io, obj, false, "ADDED")?;
                }
            }
            rv
        }
    };
    let watch = crate::client::WatchRequest {
        resource_version: since,
        table,
        timeout: req.timeout,
        ..Default::default()
    };
    let stream = client.watch_stream(r, req.namespace, req.opts, &watch)?;
    // A watch of one object from `0` starts with a synthetic ADDED of its current state,
    // which the GET has printed already.
    let skip = usize::from(req.name.is_some());
    for event in stream.skip(skip) {
        let event = match event {
            Ok(e) => e,
            // --request-timeout ends the watch quietly, as kubectl's does.
            Err(_) if req.timeout.is_some() => break,
            Err(e) => return Err(e.into()),
        };
        if event.kind == "BOOKMARK" {
            continue;
        }
        print(&mut printer, io, event.object, table, event.kind)?;
    }
    Ok(0)
}

fn print(
    printer: &mut EventPrinter,
    io: &mut Io,
    obj: Value,
    table: bool,
    kind: &str,
) -> Result<(), CliError> {
    let text = if table {
        printer.table(&obj, kind)
    } else {
        printer.object(obj, kind)?
    };
    emit(io, text)
}
