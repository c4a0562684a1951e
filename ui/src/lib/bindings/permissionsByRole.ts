// Generated from the core's policy (see src-tauri/src/dto.rs). Do not edit.
// What the core offers each role, for the mocked backend and the tests.
import type { Permissions } from './Permissions';
import type { Role } from './Role';

export const PERMISSIONS_BY_ROLE: Record<Role, Permissions> = {
  "investigator": {"edit_record":true,"create_case":true,"tasks":true,"review":false,"approve":false,"assign":false,"open_stage":true,"close_stage":false,"sign_off":false,"start_checklist":true,"dashboard":false,"team_admin":false,"case_access":false,"resolve_conflicts":true,"review_quarantine":false,"export_attachment":true,"charge":true,"court_record":true,"support":true,"finance":true,"links":false,"export_statistics":false},
  "prosecutor": {"edit_record":false,"create_case":false,"tasks":false,"review":true,"approve":false,"assign":false,"open_stage":false,"close_stage":false,"sign_off":true,"start_checklist":false,"dashboard":false,"team_admin":false,"case_access":false,"resolve_conflicts":false,"review_quarantine":false,"export_attachment":true,"charge":false,"court_record":true,"support":false,"finance":false,"links":false,"export_statistics":false},
  "supervisor": {"edit_record":false,"create_case":true,"tasks":true,"review":false,"approve":true,"assign":true,"open_stage":true,"close_stage":true,"sign_off":true,"start_checklist":true,"dashboard":true,"team_admin":false,"case_access":true,"resolve_conflicts":true,"review_quarantine":true,"export_attachment":true,"charge":true,"court_record":true,"support":true,"finance":true,"links":true,"export_statistics":true},
  "admin": {"edit_record":false,"create_case":true,"tasks":true,"review":false,"approve":false,"assign":false,"open_stage":true,"close_stage":false,"sign_off":false,"start_checklist":true,"dashboard":true,"team_admin":true,"case_access":true,"resolve_conflicts":true,"review_quarantine":true,"export_attachment":true,"charge":false,"court_record":false,"support":false,"finance":false,"links":true,"export_statistics":true},
};
