DROP INDEX proxies_holder;
DROP INDEX units_owner;
