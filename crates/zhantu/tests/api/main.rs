//! End-to-end tests: the real app on a real database, spoken to over HTTP. One test binary
//! (faster to link); the modules below group the tests by what they cover.

mod anchors;
mod assets;
mod battle;
mod by_hand;
mod cli;
mod clocks;
mod closeout;
mod cockpit;
mod contract;
mod district;
mod engines;
mod english;
mod escaping;
mod excel;
mod exports;
mod figures;
mod hardening;
mod helpers;
mod imports_all;
mod instructions;
mod lights;
mod master;
mod nodes;
mod pages;
mod pipeline;
mod projects;
mod reports;
mod scale;
mod scope;
mod security;
mod service;
mod setup;
mod todo;
mod uplink;
mod webhooks;
