//! The Threats section's logic, without UI: advanced hunting results typed for a table
//! ([`hunt_table`]), the chart a `summarize … by` result makes ([`hunt_chart`]), the queries
//! "Go hunt" opens ([`hunt_queries`]), and the submission form's validation ([`submission_form`]).

pub mod hunt_chart;
pub mod hunt_queries;
pub mod hunt_table;
pub mod submission_form;
