//! `kubelite serve` driven by the real kubectl (1.32, on the PATH), by raw HTTPS requests
//! and by kubelite's own `Remote` client.

mod exec;
mod kubectl;
mod raw;
mod support;
