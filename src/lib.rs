//! mde-migrate: plan a migration to Microsoft Defender for Endpoint through
//! its three phases (Prepare, Set up, Onboard), one answer at a time, and
//! keep the plan on disk.
//!
//! Layers, from data to terminal: [`catalog`] (the guides as data),
//! [`plan`] (the operator's answers, pure), [`lookup`] (OS names and the proxy
//! table), [`store`] (files), then the command line and the wizard.

pub mod app;
pub mod catalog;
pub mod cli;
pub mod effects;
pub mod estate;
pub mod links;
pub mod lookup;
pub mod plain;
pub mod plan;
pub mod report;
pub mod sanitize;
pub mod store;
pub mod terminal;
pub mod ui;
pub mod wizard;
pub mod words;
