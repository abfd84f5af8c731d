package org.dsrflow.intake;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.dsrflow.cases.CaseType;

/**
 * Reads what a free-text message asks for, in English or Chinese. Deliberately cautious: a
 * message that matches both kinds ("send me a copy, then delete my account") or neither is
 * {@link CaseType#UNDECIDED}, and the person is asked instead of guessed for.
 */
public final class IntentClassifier {

    /** What was understood; {@code accountClosure} marks 注销账号 / "close my account", a deletion across all systems. */
    public record Intent(CaseType type, boolean accountClosure, String language) {
    }

    private static final List<Pattern> ACCESS = List.of(
            Pattern.compile("\\bcop(y|ies) of (all )?(my|the) (personal )?(data|information|info|details|records)"),
            Pattern.compile("\\bwhat (personal )?(data|information|info)( do| does)? (you|your company|you guys) (hold|have|keep|store|collect|process)"),
            Pattern.compile("\\b(subject )?access request\\b"),
            Pattern.compile("\\bdsar\\b|\\bsar\\b"),
            Pattern.compile("\\bright (of|to) access\\b"),
            Pattern.compile("\\b(access|export|download|see|view|obtain|get|receive|send me) (to )?(all )?(of )?my (personal )?(data|information|info|records)"),
            Pattern.compile("\\bdata portability\\b"),
            Pattern.compile("\\brequest (a copy|access)\\b"));
    private static final List<Pattern> ACCESS_ZH = List.of(
            Pattern.compile("查询|查詢|访问|訪問|查阅|查閱|导出|導出|副本|调取|調取|复制一份|複製一份"
                    + "|(获取|獲取|下载|下載)(我的)?(全部)?(个人|個人)?(信息|資訊|数据|數據|资料|資料)"));
    private static final List<Pattern> DELETION = List.of(
            Pattern.compile("\\b(delete|remove|erase|wipe|purge|destroy) (all )?(of )?(my|the) (personal )?(account|data|information|info|details|records|profile)"),
            Pattern.compile("\\b(deletion|erasure)\\b"),
            Pattern.compile("\\berase\\b"),
            Pattern.compile("\\bforget me\\b|\\bright to be forgotten\\b"),
            Pattern.compile("\\b(close|cancel|deactivate|terminate) (my|the) account\\b"));
    private static final List<Pattern> DELETION_ZH = List.of(
            Pattern.compile("删除|刪除|清除|抹除|销毁|銷毀|移除|被遗忘|被遺忘|注销|註銷"));
    private static final List<Pattern> CLOSURE = List.of(
            Pattern.compile("(注销|註銷)(我的)?(账号|帐号|账户|帐户|帳號|帳戶)|(账号|帐号|账户|帐户|帳號|帳戶)(注销|註銷)"),
            Pattern.compile("\\b(close|cancel|deactivate|terminate) (my|the) account\\b"));

    private IntentClassifier() {
    }

    public static Intent classify(String subject, String text) {
        String all = ((subject == null ? "" : subject) + "\n" + (text == null ? "" : text));
        String lower = all.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace('’', '\'');
        boolean access = matchesAny(ACCESS, lower) || matchesAny(ACCESS_ZH, lower);
        boolean deletion = matchesAny(DELETION, lower) || matchesAny(DELETION_ZH, lower);
        boolean closure = matchesAny(CLOSURE, lower);
        CaseType type = access == deletion ? CaseType.UNDECIDED : access ? CaseType.ACCESS : CaseType.DELETION;
        return new Intent(type, closure && type == CaseType.DELETION, language(all));
    }

    /** Chinese when Han characters carry the text; English otherwise (and for empty text). */
    public static String language(String text) {
        if (text == null) {
            return "en";
        }
        int han = 0;
        int latin = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script == Character.UnicodeScript.HAN) {
                han++;
            } else if (script == Character.UnicodeScript.LATIN) {
                latin++;
            }
        }
        // a Chinese word is one or two characters, an English one about five letters
        return han >= 2 && han * 4 >= latin ? "zh" : "en";
    }

    private static boolean matchesAny(List<Pattern> patterns, String text) {
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
