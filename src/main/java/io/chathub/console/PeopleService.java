package io.chathub.console;

import io.chathub.audit.AuditLog;
import io.chathub.auth.Passwords;
import io.chathub.auth.Principal;
import io.chathub.company.CompanyService;
import io.chathub.db.Database;
import io.chathub.operator.Operator;
import io.chathub.operator.OperatorService;
import io.chathub.web.ApiException;

import java.util.List;
import java.util.Set;

/** A company's people: its administrators (managed by the owner) and its operators' console sign-ins. */
public final class PeopleService {
    static final Set<String> ROLES = Set.of(Principal.Company.ADMIN, Principal.Company.VIEWER);
    private static final int MAX_EMAIL = 320;

    /** The operator sign-in answer. */
    public record OperatorLogin(long operatorId, String email) {}

    private final ConsoleStore store;
    private final ConsoleService sessions;
    private final OperatorService operators;
    private final AuditLog audit;
    private final Database db;

    public PeopleService(ConsoleStore store, ConsoleService sessions, OperatorService operators, AuditLog audit, Database db) {
        this.store = store;
        this.sessions = sessions;
        this.operators = operators;
        this.audit = audit;
        this.db = db;
    }

    public List<Admin> list(Principal.Company company) {
        return store.listAdmins(company.companyId());
    }

    public Admin create(Principal.Company company, String login, String password, String role) {
        owner(company);
        CompanyService.checkLogin("login", login);
        checkRole(role);
        CompanyService.checkPassword("password", password);
        String hash = Passwords.hash(password);
        return db.tx(h -> {
            if (store.loginTaken(login)) throw ApiException.conflict("login", "Login '" + login + "' is taken");
            long id = store.createAdmin(company.companyId(), login, hash, role);
            audit.record(company, "admin.create", "admin", id, login + " as " + role);
            return store.findAdmin(id).orElseThrow();
        });
    }

    /** A new role, or a password reset (which ends the administrator's sessions). */
    public Admin update(Principal.Company company, long id, String role, String password) {
        owner(company);
        get(company, id);
        if (role == null && password == null) throw ApiException.badRequest("role", "Give 'role' or 'password'");
        if (role != null) checkRole(role);
        if (password != null) CompanyService.checkPassword("password", password);
        String hash = password == null ? null : Passwords.hash(password);
        return db.tx(h -> {
            Admin admin = get(company, id);
            store.updateAdmin(id, role, hash);
            if (hash != null) sessions.endSessionsOf("admin", id);
            audit.record(company, "admin.update", "admin", id, admin.login()
                    + (role != null ? ": role " + role : "") + (hash != null ? ": password reset" : ""));
            return store.findAdmin(id).orElseThrow();
        });
    }

    public void delete(Principal.Company company, long id) {
        owner(company);
        db.tx(h -> {
            Admin admin = get(company, id);
            store.deleteAdmin(id);
            sessions.endSessionsOf("admin", id);
            audit.record(company, "admin.delete", "admin", id, admin.login());
            return null;
        });
    }

    private Admin get(Principal.Company company, long id) {
        Admin admin = store.findAdmin(id).orElseThrow(() -> ApiException.notFound("Administrator " + id + " not found"));
        if (admin.companyId() != company.companyId()) throw ApiException.forbidden("Administrator " + id + " belongs to another company");
        return admin;
    }

    private static void owner(Principal.Company company) {
        if (!company.isOwner()) throw ApiException.forbidden("Only the company's owner manages administrators");
    }

    private static void checkRole(String role) {
        if (role == null || !ROLES.contains(role)) throw ApiException.badRequest("role", "Field 'role' must be admin or viewer");
    }

    /** Lets an operator sign in with this email and password (replacing an earlier sign-in, whose sessions end). */
    public OperatorLogin setOperatorLogin(Principal.Company company, long organizationId, long operatorId, String email,
                                          String password) {
        operator(company, organizationId, operatorId);
        String e = email == null ? null : email.strip();
        if (e == null || e.isEmpty() || e.length() > MAX_EMAIL || e.indexOf('@') <= 0 || e.chars().anyMatch(Character::isWhitespace)) {
            throw ApiException.badRequest("email", "Field 'email' must be an email address (at most 320 characters)");
        }
        CompanyService.checkPassword("password", password);
        String hash = Passwords.hash(password);
        return db.tx(h -> {
            operator(company, organizationId, operatorId);
            var taken = store.findAccount(e);
            if (taken.isPresent() && !(taken.get().kind().equals("operator") && taken.get().subjectId() == operatorId)) {
                throw ApiException.conflict("email", "Login '" + e + "' is taken");
            }
            store.setOperatorLogin(operatorId, e, hash);
            sessions.endSessionsOf("operator", operatorId);
            audit.record(company, "operator.password.set", "operator", operatorId, e);
            return new OperatorLogin(operatorId, store.operatorLoginOf(operatorId).orElseThrow());
        });
    }

    public void removeOperatorLogin(Principal.Company company, long organizationId, long operatorId) {
        operator(company, organizationId, operatorId);
        db.tx(h -> {
            store.deleteOperatorLogin(operatorId);
            sessions.endSessionsOf("operator", operatorId);
            audit.record(company, "operator.password.remove", "operator", operatorId, null);
            return null;
        });
    }

    private Operator operator(Principal.Company company, long organizationId, long operatorId) {
        Operator op = operators.get(company, operatorId);
        if (op.organization().id() != organizationId) {
            throw ApiException.notFound("Operator " + operatorId + " is not in organization " + organizationId);
        }
        return op;
    }
}
