package io.tessera.compat.modes;

import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;

/**
 * A TCC participant declared with Seata's annotation API: two actions (two TCC resources), each a try
 * method with its confirm and cancel. Debit reserves money (balance down, frozen up); credit announces
 * incoming money (pending up); confirm and cancel settle or undo that.
 */
@LocalTCC
public interface TccAccounts {
    @TwoPhaseBusinessAction(name = "modes-tcc-debit", commitMethod = "confirmDebit", rollbackMethod = "cancelDebit")
    boolean debit(@BusinessActionContextParameter(paramName = "account") int account,
            @BusinessActionContextParameter(paramName = "amount") long amount);

    boolean confirmDebit(BusinessActionContext context);

    boolean cancelDebit(BusinessActionContext context);

    @TwoPhaseBusinessAction(name = "modes-tcc-credit", commitMethod = "confirmCredit", rollbackMethod = "cancelCredit")
    boolean credit(@BusinessActionContextParameter(paramName = "account") int account,
            @BusinessActionContextParameter(paramName = "amount") long amount);

    boolean confirmCredit(BusinessActionContext context);

    boolean cancelCredit(BusinessActionContext context);
}
