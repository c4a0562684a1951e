// What the UI offers to each role comes from the core (computed from its
// policy table and sent with the app's status): no copy of the rules here.
// The core still refuses whatever a role may not do.
import type { Permissions } from '$lib/bindings/Permissions';

export type Perms = Permissions;

/** A device without a team (or a locked vault): nothing is offered. */
export const NONE: Perms = {
  edit_record: false,
  create_case: false,
  tasks: false,
  review: false,
  approve: false,
  assign: false,
  open_stage: false,
  close_stage: false,
  sign_off: false,
  start_checklist: false,
  dashboard: false,
  team_admin: false,
  case_access: false,
  resolve_conflicts: false,
  review_quarantine: false,
  export_attachment: false,
  charge: false,
  court_record: false,
  support: false,
  finance: false,
  links: false,
  export_statistics: false,
};
