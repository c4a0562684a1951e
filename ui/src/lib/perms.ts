// What the UI offers to each role. The backend still enforces the policy
// (docs/policy.md); this only hides what would be refused.
export type Perms = {
  editRecord: boolean; // people, evidence, interviews, timeline, referrals, risks, notes, narrative, checklist items
  createCase: boolean;
  tasks: boolean;
  review: boolean; // prosecutor's comments, requests, sign-offs
  approve: boolean; // supervisor's approvals
  assign: boolean;
  openStage: boolean;
  closeStage: boolean;
  signOff: boolean;
  startChecklist: boolean;
  dashboard: boolean;
  teamAdmin: boolean;
  caseAccess: boolean;
  resolveConflicts: boolean;
  reviewQuarantine: boolean; // release or discard quarantined changes
};

export function can(role: string): Perms {
  const inv = role === 'investigator';
  const sup = role === 'supervisor' || role === 'admin';
  const pro = role === 'prosecutor';
  return {
    editRecord: inv,
    createCase: inv || sup,
    tasks: inv || sup,
    review: pro,
    approve: sup,
    assign: sup,
    openStage: inv || sup,
    closeStage: sup,
    signOff: pro || sup,
    startChecklist: inv || sup,
    dashboard: sup,
    teamAdmin: role === 'admin',
    caseAccess: sup,
    resolveConflicts: inv || sup,
    reviewQuarantine: sup,
  };
}
