//! kubectl's printers, shared by the CLI and the API server: server-side Tables and their
//! client-side printing, yaml, json, name, jsonpath, custom-columns, and describe.

pub mod age;
pub mod columns;
pub mod custom_columns;
pub mod describe;
pub mod go_sort;
pub mod gofmt;
pub mod gotemplate;
pub mod json;
pub mod jsonpath;
pub mod list;
pub mod name;
pub mod table_printer;
pub mod table_sort;
pub mod tabwriter;
pub mod yaml;
mod yaml_scalar;
