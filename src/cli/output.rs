//! `-o`: the output formats kubectl prints objects in.

use super::errors::CliError;
use crate::api::registry::Resource;
use crate::print::{custom_columns, gotemplate, json, jsonpath, list, name, yaml};
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
    /// `-o jsonpath-as-json=`: each result list as an indented JSON array.
    JsonPathAsJson(jsonpath::JsonPath),
    GoTemplate(gotemplate::GoTemplate),
    CustomColumns(Vec<custom_columns::Column>),
}

impl Output {
    pub fn parse(spec: Option<&str>) -> Result<Output, CliError> {
        Output::parse_with(spec, &TemplateFlags::default())
    }

    /// `-o` with kubectl's `--template` and `--allow-missing-template-keys`: `--template`
    /// alone means `-o go-template`, and with it `-o` names the format only.
    pub fn parse_with(spec: Option<&str>, flags: &TemplateFlags) -> Result<Output, CliError> {
        let spec = spec.filter(|s| !s.is_empty());
        let template = flags.template.as_deref().filter(|t| !t.is_empty());
        let (spec, format, arg) = match (spec, template) {
            (None, None) => return Ok(Output::Table { wide: false }),
            (None, Some(t)) => ("go-template", "go-template", Some(t)),
            (Some(s), Some(t)) => (s, s, Some(t)),
            (Some(s), None) => match s.split_once('=') {
                Some((f, a)) => (s, f, Some(a)),
                None => (s, s, None),
            },
        };
        let templated = matches!(
            format,
            "go-template"
                | "template"
                | "go-template-file"
                | "templatefile"
                | "jsonpath"
                | "jsonpath-file"
                | "jsonpath-as-json"
        );
        if templated && arg.is_none_or(str::is_empty) {
            return Err(CliError::message(
                "template format specified but no template given",
            ));
        }
        if !flags.allow_missing_keys && format.starts_with("jsonpath") {
            return Err(CliError::message(
                "--allow-missing-template-keys=false is not supported by kubelite for jsonpath output",
            ));
        }
        let jsonpath = |t: &str| jsonpath::parse(t).map_err(CliError::message);
        let go_template = |t: &str| {
            gotemplate::parse(t)
                .map(|g| Output::GoTemplate(g.allow_missing_keys(flags.allow_missing_keys)))
                .map_err(CliError::message)
        };
        match (format, arg) {
            ("wide", None) => Ok(Output::Table { wide: true }),
            ("yaml", None) => Ok(Output::Yaml),
            ("json", None) => Ok(Output::Json),
            ("name", None) => Ok(Output::Name),
            ("jsonpath", Some(t)) => jsonpath(t).map(Output::JsonPath),
            ("jsonpath-file", Some(path)) => {
                jsonpath(&read_template(path, "--template")?).map(Output::JsonPath)
            }
            ("jsonpath-as-json", Some(t)) => jsonpath(t).map(Output::JsonPathAsJson),
            ("go-template" | "template", Some(t)) => go_template(t),
            ("go-template-file" | "templatefile", Some(path)) => {
                go_template(&read_template(path, "--template")?)
            }
            ("custom-columns", Some(cols)) => custom_columns::parse_spec(cols)
                .map(Output::CustomColumns)
                .map_err(CliError::message),
            ("custom-columns-file", Some(path)) if !path.is_empty() => {
                custom_columns::parse_file(&read_template(path, "template")?)
                    .map(Output::CustomColumns)
                    .map_err(CliError::message)
            }
            ("custom-columns-file", _) => custom_columns::parse_spec("")
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

/// kubectl's YAML printer puts `---` before every object after the first it prints; a verb
/// that prints objects one at a time with one printer (create, replace) keeps one of these.
#[derive(Default)]
pub struct YamlSeparator(std::cell::Cell<bool>);

impl YamlSeparator {
    /// What goes before the next object printed as `output`.
    pub fn before(&self, output: &Output) -> &'static str {
        if matches!(output, Output::Yaml) && self.0.replace(true) {
            "---\n"
        } else {
            ""
        }
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
            .map(|(obj, r)| format!("{}\n", name::name_line_returned(obj, r.singular, r.group)))
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
            // kubectl hides managedFields from json and yaml unless --show-managed-fields;
            // its template printers see them.
            let hide = !keep_managed_fields && matches!(output, Output::Yaml | Output::Json);
            let objects: Vec<(Value, &Resource)> = objects
                .into_iter()
                .map(|(mut o, r)| {
                    if hide && let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut)
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
                // kubectl decodes a Status into its Go type: its fields print in their order.
                Output::Json if name::is_status(&value) => Ok(json::to_json_in_order(&value)),
                Output::Json => Ok(json::to_json(&value)),
                _ => render_templated(output, &value),
            }
        }
    }
}

/// `--template` and `--allow-missing-template-keys` for verbs that print the objects they
/// changed.
#[derive(clap::Args, Debug, Clone)]
pub struct TemplateArgs {
    /// The template for -o go-template or jsonpath (a file's path with their -file forms), in Go's text/template language for go-template; without -o, go-template is meant.
    #[arg(long)]
    pub template: Option<String>,
    /// When false, a template naming a key the object lacks fails instead of printing <no value>.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub allow_missing_template_keys: bool,
}

impl TemplateArgs {
    pub fn flags(&self) -> TemplateFlags {
        TemplateFlags {
            template: self.template.clone(),
            allow_missing_keys: self.allow_missing_template_keys,
        }
    }
}

/// The template flags kubectl's printers take beside `-o`.
#[derive(Debug, Clone)]
pub struct TemplateFlags {
    pub template: Option<String>,
    pub allow_missing_keys: bool,
}

impl Default for TemplateFlags {
    fn default() -> TemplateFlags {
        TemplateFlags {
            template: None,
            allow_missing_keys: true,
        }
    }
}

/// The jsonpath and go-template printers over one value (an object or a `List`).
pub fn render_templated(output: &Output, value: &Value) -> Result<String, CliError> {
    match output {
        Output::JsonPath(path) => path.render(value).map_err(CliError::message),
        Output::JsonPathAsJson(path) => path.render_as_json(value).map_err(CliError::message),
        Output::GoTemplate(t) => t.render(value).map_err(|e| CliError::Partial {
            printed: e.printed,
            message: e.message,
        }),
        _ => Ok(String::new()),
    }
}

/// A template file's text; the error is kubectl's (`error reading --template /x, open /x:
/// no such file or directory`).
fn read_template(path: &str, what: &str) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|e| {
        let why = match e.raw_os_error() {
            Some(2) => format!("open {path}: no such file or directory"),
            Some(13) => format!("open {path}: permission denied"),
            Some(21) => format!("read {path}: is a directory"),
            _ => format!("open {path}: {e}"),
        };
        CliError::message(format!("error reading {what} {path}, {why}"))
    })
}
