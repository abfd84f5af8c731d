package org.dsrflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.dsrflow.cases.CaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How free text in English and Chinese (simplified and traditional) is read. */
class IntentClassifierTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Could you please send me a copy of my personal data?                | ACCESS   | en
            What data do you hold about me?                                     | ACCESS   | en
            This is a subject access request under the GDPR.                   | ACCESS   | en
            I would like to export my data.                                     | ACCESS   | en
            Please delete my account.                                           | DELETION | en
            Erase everything, I want to be forgotten. Forget me.               | DELETION | en
            Please remove my personal information from your systems.            | DELETION | en
            I want to close my account.                                         | DELETION | en
            我想查询你们持有的关于我的个人数据。                                | ACCESS   | zh
            请导出我的个人信息副本。                                            | ACCESS   | zh
            我想獲取我的個人資料。                                              | ACCESS   | zh
            請提供我的資料副本，謝謝。                                          | ACCESS   | zh
            请删除我的全部个人信息。                                            | DELETION | zh
            请注销我的账号。                                                    | DELETION | zh
            請刪除我的個人資料。                                                | DELETION | zh
            我要註銷帳號。                                                      | DELETION | zh
            I have a question about my account.                                 | UNDECIDED | en
            Don't delete anything, just send me a copy of my data.              | ACCESS    | en
            Send me a copy of my data and then delete my account.               | UNDECIDED | en
            请删除我的数据，但先导出一份副本给我。                              | UNDECIDED | zh
            你好                                                                | UNDECIDED | zh
            """)
    void readsTheRequestAndItsLanguage(String text, CaseType type, String language) {
        IntentClassifier.Intent intent = IntentClassifier.classify("", text);
        assertThat(intent.type()).isEqualTo(type);
        assertThat(intent.language()).isEqualTo(language);
    }

    @Test
    void closingTheAccountIsADeletionAcrossAllSystems() {
        assertThat(IntentClassifier.classify("注销账号", "您好，请注销我的账号。").accountClosure()).isTrue();
        assertThat(IntentClassifier.classify("Close my account", "Please close my account.").accountClosure()).isTrue();
        assertThat(IntentClassifier.classify("Delete", "Please delete my invoices.").accountClosure()).isFalse();
    }

    @Test
    void chineseWithAnEnglishSignatureIsStillChinese() {
        assertThat(IntentClassifier.language("请删除我的全部个人数据。\n--\nBest regards, Wang Fang, Senior Engineer")).isEqualTo("zh");
        assertThat(IntentClassifier.language("Please delete my data. 谢谢")).isEqualTo("en");
    }
}
