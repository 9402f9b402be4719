package io.tessera.codec.message;

/** A message that asks the other side to do something (client→TC, or TC→RM for phase two). */
public sealed interface Request extends Message permits RegisterTMRequest, RegisterRMRequest,
        GlobalBeginRequest, GlobalEndRequest, GlobalReportRequest, BranchRegisterRequest,
        BranchReportRequest, GlobalLockQueryRequest, BranchEndRequest, UndoLogDeleteRequest {
}
