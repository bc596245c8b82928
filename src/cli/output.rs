//! `-o`: the output formats kubectl prints objects in.

use super::errors::CliError;
use crate::api::registry::Resource;
use crate::print::{custom_columns, json, jsonpath, list, name, yaml};
use serde_json::Value;

pub enum Output {
    /// The default, from server-side Tables; `wide` adds the priority-1 columns.
    Table {
        wide: bool,
    },
    Yaml,
    Json,
    Name,
    JsonPath(jsonpath::JsonPath),
    CustomColumns(Vec<custom_columns::Column>),
}

impl Output {
    pub fn parse(spec: Option<&str>) -> Result<Output, CliError> {
        let Some(spec) = spec.filter(|s| !s.is_empty()) else {
            return Ok(Output::Table { wide: false });
        };
        let (format, arg) = match spec.split_once('=') {
            Some((f, a)) => (f, Some(a)),
            None => (spec, None),
        };
        match (format, arg) {
            ("wide", None) => Ok(Output::Table { wide: true }),
            ("yaml", None) => Ok(Output::Yaml),
            ("json", None) => Ok(Output::Json),
            ("name", None) => Ok(Output::Name),
            ("jsonpath", Some(template)) => jsonpath::parse(template)
                .map(Output::JsonPath)
                .map_err(CliError::message),
            ("custom-columns", Some(cols)) => custom_columns::parse_spec(cols)
                .map(Output::CustomColumns)
                .map_err(CliError::message),
            _ => Err(CliError::message(format!(
                "unable to match a printer suitable for the output format \"{spec}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))),
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self, Output::Table { .. })
    }
}

/// Prints objects in a non-table format. One object named alone prints as itself; anything
/// else as a `List`, as kubectl does.
pub fn render(
    output: &Output,
    objects: Vec<(Value, &Resource)>,
    single: bool,
    no_headers: bool,
    keep_managed_fields: bool,
) -> Result<String, CliError> {
    match output {
        Output::Name => Ok(objects
            .iter()
            .map(|(obj, r)| {
                let n = obj
                    .pointer("/metadata/name")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                format!("{}\n", name::name_line(r.singular, r.group, n))
            })
            .collect()),
        Output::CustomColumns(cols) => {
            let objs: Vec<Value> = objects.into_iter().map(|(o, _)| o).collect();
            // Rows printed before a failing one still go out, as in kubectl.
            custom_columns::render(cols, &objs, no_headers).map_err(|e| CliError::Partial {
                printed: e.printed,
                message: e.message,
            })
        }
        _ => {
            // kubectl hides managedFields unless --show-managed-fields.
            let objects: Vec<(Value, &Resource)> = objects
                .into_iter()
                .map(|(mut o, r)| {
                    if !keep_managed_fields
                        && let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut)
                    {
                        meta.shift_remove("managedFields");
                    }
                    (o, r)
                })
                .collect();
            let value = if single && objects.len() == 1 {
                objects
                    .into_iter()
                    .map(|(o, _)| o)
                    .next()
                    .unwrap_or(Value::Null)
            } else {
                list::wrap_list(objects.into_iter().map(|(o, _)| o).collect())
            };
            match output {
                Output::Yaml => Ok(yaml::to_yaml(&value)),
                Output::Json => Ok(json::to_json(&value)),
                Output::JsonPath(path) => path.render(&value).map_err(CliError::message),
                _ => Ok(String::new()),
            }
        }
    }
}
