// Seata's GlobalStatus and BranchStatus codes (code = ordinal) and what the console offers for each.

export const GLOBAL_STATUS = ['UnKnown', 'Begin', 'Committing', 'CommitRetrying', 'Rollbacking',
  'RollbackRetrying', 'TimeoutRollbacking', 'TimeoutRollbackRetrying', 'AsyncCommitting', 'Committed',
  'CommitFailed', 'Rollbacked', 'RollbackFailed', 'TimeoutRollbacked', 'TimeoutRollbackFailed', 'Finished',
  'CommitRetryTimeout', 'RollbackRetryTimeout', 'Deleting', 'StopCommitOrCommitRetry',
  'StopRollbackOrRollbackRetry'];

export const BRANCH_STATUS = ['Unknown', 'Registered', 'PhaseOne_Done', 'PhaseOne_Failed', 'PhaseOne_Timeout',
  'PhaseTwo_Committed', 'PhaseTwo_CommitFailed_Retryable', 'PhaseTwo_CommitFailed_Unretryable',
  'PhaseTwo_Rollbacked', 'PhaseTwo_RollbackFailed_Retryable', 'PhaseTwo_RollbackFailed_Unretryable',
  'PhaseTwo_CommitFailed_XAER_NOTA_Retryable', 'PhaseTwo_RollbackFailed_XAER_NOTA_Retryable', 'PhaseOne_RDONLY',
  'STOP_RETRY'];

export function globalName(code) {
  return GLOBAL_STATUS[Number(code)] || `status ${code}`;
}

export function branchName(code) {
  return BRANCH_STATUS[Number(code)] || `status ${code}`;
}

/** A CSS class for a global status tag: ended well, needs attention, or in progress. */
export function globalTone(code) {
  const c = Number(code);
  if ([9, 11, 15].includes(c)) {
    return 'ok';
  }
  if ([10, 12, 13, 14, 16, 17, 19, 20].includes(c)) {
    return 'bad';
  }
  if ([3, 5, 7].includes(c)) {
    return 'warn';
  }
  return '';
}

const PHASE_TWO = [2, 3, 4, 5, 6, 7];

/**
 * The global actions of Seata's console with the statuses they apply to (the server decides and
 * answers a refusal with the reason; these only choose which buttons to show).
 */
export const GLOBAL_ACTIONS = [
  {id: 'stop', label: 'Stop retrying', method: 'PUT', path: 'globalSession/stopGlobalSession',
    when: (s) => PHASE_TWO.includes(s),
    explain: 'Phase two stops: no commit/rollback is sent to the branches until it is started again.'},
  {id: 'start', label: 'Start retrying', method: 'PUT', path: 'globalSession/startGlobalSession',
    when: (s) => s === 19 || s === 20, explain: 'Phase two resumes with the usual retries.'},
  {id: 'send', label: 'Commit / roll back now', method: 'PUT', path: 'globalSession/sendCommitOrRollback',
    when: (s) => PHASE_TWO.includes(s) || s === 19 || s === 20,
    explain: 'One phase-two round is sent to the branches at once (commit or rollback, as decided).'},
  {id: 'change', label: 'Retry after timeout', method: 'PUT', path: 'globalSession/changeGlobalStatus',
    when: (s) => s === 16 || s === 17, explain: 'The parked transaction goes back to retrying its phase two.'},
  {id: 'delete', label: 'Delete', method: 'DELETE', path: 'globalSession/deleteGlobalSession',
    when: () => true, explain: 'Asks each branch\'s resource manager to delete its branch, then ends the '
      + 'transaction (Tessera refuses this for now and says why: use stop and force delete).'},
  {id: 'force-delete', label: 'Force delete', method: 'DELETE', path: 'globalSession/forceDeleteGlobalSession',
    when: () => true, danger: true, explain: 'Ends the transaction as Finished and releases its row locks '
      + 'without calling any resource manager. Undo logs and TCC state are left to the applications.'},
];

export const BRANCH_ACTIONS = [
  {id: 'branch-stop', label: 'Stop', method: 'PUT', path: 'branchSession/stopBranchSession',
    when: (b) => b !== 14, explain: 'Phase two leaves this branch out until it is started again.'},
  {id: 'branch-start', label: 'Start', method: 'PUT', path: 'branchSession/startBranchSession',
    when: (b) => b === 14, explain: 'Phase two includes this branch again.'},
  {id: 'branch-delete', label: 'Delete', method: 'DELETE', path: 'branchSession/deleteBranchSession',
    when: () => true, explain: 'Asks the branch\'s resource manager to delete it (Tessera refuses this for now '
      + 'and says why).'},
  {id: 'branch-force-delete', label: 'Force delete', method: 'DELETE',
    path: 'branchSession/forceDeleteBranchSession', when: () => true, danger: true,
    explain: 'Removes the branch record and releases its row locks without calling its resource manager.'},
];
