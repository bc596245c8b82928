//! API-level tests of the scheduler (see below).
