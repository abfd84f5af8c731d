package org.dsrflow.connector.jdbc;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.dsrflow.connector.Connector;
import org.dsrflow.connector.ConnectorContract;
import org.dsrflow.connector.Subject;
import org.springframework.jdbc.core.JdbcTemplate;

/** The connector contract for the jdbc type; each database it supports runs it on the same file and data. */
abstract class JdbcContract extends ConnectorContract {

    /** The database under test, emptied and filled with the shop fixture before each test. */
    protected abstract DataSource database();

    @Override
    protected Connector freshSystem() throws Exception {
        createShop(new JdbcTemplate(database()));
        return new JdbcConnector(JdbcStatementsTests.spec(JdbcStatementsTests.SHOP), database(), KeyedHash.fromSecret("k"));
    }

    /** The shop of {@link JdbcStatementsTests#SHOP}: Ann (the subject) and Ben, with orders, notes and receipts. */
    static void createShop(JdbcTemplate jdbc) {
        jdbc.execute("drop table if exists receipts");
        jdbc.execute("drop table if exists order_notes");
        jdbc.execute("drop table if exists orders");
        jdbc.execute("drop table if exists customers");
        jdbc.execute("create table customers (id bigint primary key, email varchar(255) not null, name varchar(100), "
                + "phone varchar(40), status varchar(20) not null)");
        jdbc.execute("create table orders (id bigint primary key, customer_id bigint not null references customers(id), total numeric(10,2))");
        jdbc.execute("create table order_notes (id bigint primary key, order_id bigint not null references orders(id), note text)");
        jdbc.execute("create table receipts (id bigint primary key, customer_id bigint references customers(id), total numeric(10,2), "
                + "buyer varchar(100))");
        jdbc.update("insert into customers values (1,'ann@example.com','Ann Lee','+1 555 0101','active'),"
                + "(2,'ben@example.com','Ben Wu','+1 555 0102','active')");
        jdbc.update("insert into orders values (10,1,19.90),(11,1,5.00),(20,2,7.50)");
        jdbc.update("insert into order_notes values (1000,10,'gift wrap'),(2000,20,'leave at door')");
        jdbc.update("insert into receipts values (100,1,19.90,'Ann Lee'),(200,2,7.50,'Ben Wu')");
    }

    @Override
    protected Connector unreachableSystem() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        HikariDataSource pool = new HikariDataSource(config);
        UNREACHABLE_POOLS.add(pool);
        return new JdbcConnector(JdbcStatementsTests.spec(JdbcStatementsTests.SHOP), pool, KeyedHash.fromSecret("k"));
    }

    /** Pools made for an unreachable system would keep trying to connect until the JVM ends: closed after the class. */
    private static final java.util.List<HikariDataSource> UNREACHABLE_POOLS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @org.junit.jupiter.api.AfterAll
    static void closeUnreachablePools() {
        UNREACHABLE_POOLS.forEach(HikariDataSource::close);
        UNREACHABLE_POOLS.clear();
    }

    @Override
    protected BadConfig badConfig() throws Exception {
        String yaml = JdbcStatementsTests.SHOP.replace("email: { category: contact.email, erase: hash }",
                "email: { category: contact.email, erase: shred }");
        return new BadConfig(new JdbcConnectorFactory(null, "k"), "connectors/shop.yaml",
                new ObjectMapper(new YAMLFactory()).readTree(yaml), "tables[0].columns.email.erase");
    }

    @Override
    protected Subject subject() {
        return new Subject("Ann@Example.com");
    }

    @Override
    protected Subject bystander() {
        return new Subject("ben@example.com");
    }

    @Override
    protected String subjectMarker() {
        return "Ann Lee";
    }
}
